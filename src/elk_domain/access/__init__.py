"""Access before input: may this actor act on the target a request names (decision 0036)?"""
