"""spcore: a RISC-V research core and test bench for kernel tracing hardware."""
