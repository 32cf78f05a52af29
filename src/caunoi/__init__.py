"""caunoi (cầu nối): a bridge between a local government's communication office and its citizens."""
