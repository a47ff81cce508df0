"""Access: the organisations that use a node, their API tokens and what each role may do."""
