"""Back end: what the hardware reads. Descriptor formats, buffer layouts, parameter images."""
