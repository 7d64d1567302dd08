"""The fictional demo world that ``carbon demo`` (and ``make run``) loads."""
