"""Change control: protected lines and approval by a second person (issue 14).

- changes.models: a line's protection, and requests for approval with what they froze.
- changes.services: the use cases (the pages' only way in): protect, ask, approve, decline,
  withdraw; the rule "does this change need an approval" lives here, in one place.
- changes.web: the Waiting for approval pages and the protection form.
"""
