"""Local HTTP stand-ins for the help-center services, shaped after providers.md."""
