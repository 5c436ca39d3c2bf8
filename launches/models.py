# Models of this app arrive with its own issue; every one inherits
# alignment.tenancy.WorkspaceScopedModel.
