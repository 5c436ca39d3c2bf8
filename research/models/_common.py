"""What every research model module shares: the length caps on long text."""

# Long text is capped so one request cannot store megabytes of prose.
MAX_BODY_LENGTH = 20_000
MAX_TEXT_LENGTH = 5_000
