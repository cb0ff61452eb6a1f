"""One pipeline unit per module; `spcore.hdl.core` instantiates and wires them."""
