"""One module per `vnfacts` sub-command: ``add_arguments(parser)`` and ``run(args) -> exit code``."""
