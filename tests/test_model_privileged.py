"""Traps, interrupts, PMP, triggers and counters of PLATFORM.md on the golden model."""
import pytest

from asmutil import TO_USER, needs_gcc, run_asm, sym, trap_log

pytestmark = needs_gcc
XLENS = [32, 64]


@pytest.mark.parametrize("xlen", XLENS)
def test_timer_interrupt_through_the_clint(xlen, tmp_path):
    src = """
    la t0, handler
    csrw mtvec, t0
    li t1, 0x0200bff8
    lw t2, 0(t1)               # mtime (low word)
    addi t2, t2, 200
    li t1, 0x02004000
    sw t2, 0(t1)               # mtimecmp = now + 200
    sw zero, 4(t1)
    li t0, 1 << 7
    csrs mie, t0               # MTIE
    csrsi mstatus, 8           # MIE
    li a0, 0
1:  addi a0, a0, 1
    j 1b
.align 2
handler:
    csrr a1, mcause
    csrr a2, mstatus
    PASS
"""
    result, m = run_asm(src, xlen, tmp_path)
    assert result.status == "pass"
    assert m.x[11] == (1 << (xlen - 1)) | 7           # interrupt, MTI
    assert m.x[12] & 0x8 == 0 and m.x[12] & 0x80      # MIE cleared, MPIE set
    assert 50 < m.x[10] < 200                          # the loop ran until mtimecmp


@pytest.mark.parametrize("xlen", XLENS)
def test_software_interrupt_vectored(xlen, tmp_path):
    src = """
    la t0, vectors
    ori t0, t0, 1              # vectored mode
    csrw mtvec, t0
    li t0, 1 << 3
    csrs mie, t0               # MSIE
    csrsi mstatus, 8
    li t1, 0x02000000
    li t2, 1
    sw t2, 0(t1)               # msip = 1
    FAIL 1
.align 6
vectors:
    FAIL 2                     # 0: exceptions
    FAIL 3
    FAIL 4
    j msi                      # 3: machine software interrupt
    FAIL 5
msi:
    li t1, 0x02000000
    sw zero, 0(t1)
    csrr a1, mcause
    PASS
"""
    result, m = run_asm(src, xlen, tmp_path)
    assert result.status == "pass", result
    assert m.x[11] == (1 << (xlen - 1)) | 3


@pytest.mark.parametrize("xlen", XLENS)
def test_ecall_from_user_and_pmp_store_denial(xlen, tmp_path):
    src = TO_USER.replace("li t0, 0x1f ", "li t0, 0x1d ") + """
user:
    ecall
"""
    result, m = run_asm(src, xlen, tmp_path)
    assert trap_log(m)[0] == 8                         # ecall from U

    src = """
    la t0, user_end
    srli t0, t0, 2
    csrw pmpaddr0, t0
    li t0, 0x0d                # entry 0: TOR [0, user_end) R-X (no W)
    csrw pmpcfg0, t0
    la t0, user
    csrw mepc, t0
    li t0, 3 << 11
    csrc mstatus, t0
    mret
user:
    la t1, _start
    sw zero, 0(t1)             # store to "kernel text": denied
user_end:
"""
    result, m = run_asm(src, xlen, tmp_path)
    cause, epc, tval = trap_log(m)
    assert (cause, tval) == (7, sym(m, "_start"))
    assert m.bus.read(sym(m, "_start"), 2) != 0        # nothing was written


@pytest.mark.parametrize("xlen", XLENS)
def test_user_mode_cannot_touch_machine_csrs_or_mret(xlen, tmp_path):
    for insn in ("csrr a0, mstatus", "mret", "csrr a0, cycle"):
        result, m = run_asm(TO_USER + f"user:\n    {insn}\n    FAIL 1\n", xlen, tmp_path)
        assert trap_log(m)[0] == 2, insn


@pytest.mark.parametrize("xlen", XLENS)
def test_mcounteren_grants_user_counters(xlen, tmp_path):
    src = "    csrwi mcounteren, 7\n" + TO_USER + "user:\n    csrr a0, cycle\n    csrr a1, instret\n    PASS\n"
    result, m = run_asm(src, xlen, tmp_path)
    assert result.status == "pass"
    assert 0 < m.x[11] <= m.x[10] + 1


@pytest.mark.parametrize("xlen", XLENS)
def test_minstret_write_suppresses_its_own_increment(xlen, tmp_path):
    src = """
    csrwi minstret, 0
    csrr a0, minstret          # the write did not count itself, csrr has not retired yet
    PASS
"""
    result, m = run_asm(src, xlen, tmp_path)
    assert m.x[10] == 0                                # without suppression it would be 1


@pytest.mark.parametrize("xlen", XLENS)
def test_run_result_counts_retirements_not_the_minstret_value(xlen, tmp_path):
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    plain = run_asm("    nop\n    PASS\n", xlen, tmp_path / "a")[0]
    written = run_asm("    csrwi minstret, 20\n    PASS\n", xlen, tmp_path / "b")[0]
    assert written.status == plain.status == "pass"
    assert written.instret == plain.instret             # both run the same number of insns


@pytest.mark.parametrize("xlen", XLENS)
@pytest.mark.parametrize("kind", ["execute", "load", "store"])
def test_sdtrig_address_triggers_raise_breakpoint(xlen, kind, tmp_path):
    bits = {"execute": 4, "load": 1, "store": 2}[kind]
    target = "here" if kind == "execute" else "data"
    src = f"""
    csrwi tselect, 0
    la t0, {target}
    csrw tdata2, t0
    li t0, (1 << 6) | {bits}   # m-mode, {kind}
    csrw tdata1, t0
    la t1, data
    lw t2, 0(t1)  if_load
here:
    sw t2, 0(t1)
    FAIL 1
.data
.align 3
data: .dword 0
""".replace("    lw t2, 0(t1)  if_load", "    nop" if kind != "load" else "    lw t2, 0(t1)")
    result, m = run_asm(src, xlen, tmp_path)
    cause, epc, tval = trap_log(m)
    assert cause == 3
    assert tval == sym(m, target)
    if kind == "execute":
        assert epc == sym(m, "here")


@pytest.mark.parametrize("xlen", XLENS)
def test_misaligned_and_unmapped_accesses(xlen, tmp_path):
    for insn, cause, tval in (("lw a0, 2(t1)", 4, 0x80010002), ("sh a0, 1(t1)", 6, 0x80010001),
                              ("lw a0, 0(t2)", 5, 0x40000000), ("sw a0, 0(t2)", 7, 0x40000000)):
        src = f"    li t1, 0x80010000\n    li t2, 0x40000000\n    {insn}\n    FAIL 1\n"
        result, m = run_asm(src, xlen, tmp_path)
        assert trap_log(m)[0::2] == (cause, tval), insn


@pytest.mark.parametrize("xlen", XLENS)
def test_stored_code_is_seen_after_fence_i(xlen, tmp_path):
    src = """
    li a0, 0
    la t1, patch
    li t2, 0x00500513          # addi a0, x0, 5
    call patch                 # first run: decoded and cached
    sw t2, 0(t1)
    fence.i
    call patch
    PASS
.align 2
.option push
.option norvc                  # a 4-byte instruction to overwrite with one store
patch:
    addi a0, a0, 1
    ret
.option pop
"""
    result, m = run_asm(src, xlen, tmp_path)
    assert result.status == "pass"
    assert m.x[10] == 5


@pytest.mark.parametrize("xlen", XLENS)
def test_misa_and_mstatus_warl(xlen, tmp_path):
    src = """
    csrr a0, misa
    csrwi misa, 0              # WARL: ignored, no trap
    csrr a1, misa
    li t0, 1 << 11             # MPP = S (01): not supported, reads back U
    csrw mstatus, t0
    csrr a2, mstatus
    PASS
"""
    result, m = run_asm(src, xlen, tmp_path)
    mxl = 1 if xlen == 32 else 2
    exts = sum(1 << (ord(c) - ord("A")) for c in "IMCUX")
    assert m.x[10] == m.x[11] == (mxl << (xlen - 2)) | exts
    assert (m.x[12] >> 11) & 3 == 0
    result, m = run_asm(src, xlen, tmp_path, spc=False, jall=False)
    assert not m.x[10] & (1 << 23)
