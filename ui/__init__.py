"""The Qt desktop interface of Integration Vault: dialogs, the main window and its models."""
