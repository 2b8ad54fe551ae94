"""Who may change the policy library: sign-in claims to roles, and an offline admin passphrase."""
