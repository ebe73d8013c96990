"""Rule logic, one module per family; metadata is in checklists/*.yaml."""
