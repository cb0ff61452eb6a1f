"""Data layouts shared by the units: the decoded instruction and the operation codes,
and the signature of the multi-cycle EX units."""
from amaranth import unsigned
from amaranth.lib import data, enum, wiring
from amaranth.lib.wiring import In, Out


class Op(enum.Enum, shape=5):
    """What the execute stage does with an instruction (one class per row family)."""
    ALU = 0       # register/immediate arithmetic, logic, shifts (incl. RV64 W forms)
    LUI = 1
    AUIPC = 2
    JAL = 3
    JALR = 4
    JALL = 5      # Xjall c.jall: absolute target
    BRANCH = 6
    LOAD = 7
    STORE = 8
    MUL = 9
    DIV = 10
    CSR = 11
    ECALL = 12
    EBREAK = 13
    MRET = 14
    WFI = 15
    FENCE = 16
    FENCEI = 17
    LRW2SPC = 18


def decoded_layout(xlen):
    """The decoder's output, carried down the pipeline with the instruction."""
    return data.StructLayout({
        "illegal": 1,
        "op": Op,
        "funct3": 3,       # ALU function, branch condition, load/store size, M op, CSR op
        "alt": 1,          # sub / sra instead of add / srl
        "use_imm": 1,      # ALU operand b is the immediate
        "word": 1,         # RV64 *W instruction: 32-bit operation, sign-extended result
        "has_rs1": 1,      # the (expanded) instruction has an rs1 / rs2 / rd field
        "has_rs2": 1,
        "has_rd": 1,
        "rs1": 5,
        "rs2": 5,
        "rd": 5,
        "csr": 12,
        "csr_imm": 1,      # csrr*i: the operand is the 5-bit zimm (in imm)
        "imm": unsigned(xlen),
    })


SEQ_BITS = 32      # fetch sequence number of the pipeview debug port


def pipeview_fields(xlen):
    """The core's `pv_*` debug port (RVFI builds only), read by `--pipeview`.

    Every instruction IF presents gets a sequence number (`f_seq`) that travels with it
    through ID, EX and MEM; each cycle the port says which number each stage holds (and
    whether it holds one), so the bench can rebuild every instruction's life without
    knowing the hazard rules. W is the cycle its RVFI record is out (`w_valid`, same
    cycle as `rvfi_valid`); an instruction that leaves a stage without reaching the next
    was flushed.
    """
    return {"f_valid": 1, "f_seq": SEQ_BITS, "f_pc": xlen, "f_insn": 48,
            "d_valid": 1, "d_seq": SEQ_BITS, "x_valid": 1, "x_seq": SEQ_BITS,
            "m_valid": 1, "m_seq": SEQ_BITS,
            "w_valid": 1, "w_trap": 1, "w_seq": SEQ_BITS}


def multicycle_signature(xlen):
    """An EX unit that takes several cycles (the divider, the iterative multiplier):
    `x_start` pulses when its instruction enters EX and latches the operands, `x_busy`
    holds EX, `x_done` marks the cycle `x_result` is valid."""
    return wiring.Signature({
        "x_start": In(1), "x_a": In(xlen), "x_b": In(xlen), "x_funct3": In(3),
        "x_word": In(1), "x_busy": Out(1), "x_done": Out(1), "x_result": Out(xlen)})
