"""The Users page: admins add people, change their roles, deactivate and reactivate them."""
