"""Django format overrides (FORMAT_MODULE_PATH): the back office prints dates like the site."""
