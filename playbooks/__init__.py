"""Built-in scenarios and the playbook text that goes with each."""
