"""The golden model of spcore's ISA: `Machine` (see machine.py for the API)."""
from .machine import Machine
from .traps import Halt, Trap

__all__ = ["Machine", "Halt", "Trap"]
