"""Back end: the bytes the hardware reads. Layer images (weights, parameters), buffer layouts,
the memory map, the program, integrity checks, the DRAM image and the files written."""
