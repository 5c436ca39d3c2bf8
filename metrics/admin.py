# Register models with alignment.admin.WorkspaceScopedAdmin as they arrive.
