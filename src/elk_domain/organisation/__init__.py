"""Organisation: boards, schools and groups, the regional procedures, the timeline and the news."""
