"""`make run`'s embedded line: one in-memory store shared by the Procfile's roles, a demo organisation."""
