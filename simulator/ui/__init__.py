"""The Qt desktop shell: widgets and controllers only; all logic lives in ``simulator.core``."""
