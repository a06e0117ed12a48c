"""Not built: excluded from the workspace."""
