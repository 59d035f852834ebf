"""Read models: queries that feed screens directly, one statement per screen part."""
