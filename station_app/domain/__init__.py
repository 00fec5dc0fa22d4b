"""Pure domain rules: catalogue schema, field validation, calendar, search. No Qt, SQL or HTTP."""
