"""Fetch aligner and the Xspc unit, each on its own in Amaranth's simulator."""
import random

from amaranth.sim import Simulator

from spcore import isa
from spcore.hdl.units.fetch import Fetch
from spcore.hdl.units.spc import ShadowPc


def test_fetch_aligns_every_length_at_both_halfword_offsets():
    """The window (word at pc & ~3, next word) yields the instruction at pc whole."""
    dut = Fetch(32, 1 << 16)
    rng = random.Random(5)
    bad = []

    async def bench(ctx):
        await ctx.tick()                      # leave the reset cycle: f_valid = 1
        for _ in range(300):
            pc = 0x8000_0000 + 2 * rng.randrange(0, 1000)
            ctx.set(dut.f_redirect, 1)
            ctx.set(dut.f_target, pc)
            ctx.set(dut.f_target_plus4, pc + 4)
            assert ctx.get(dut.ibus_addr) == pc and ctx.get(dut.ibus_addr_plus4) == pc + 4
            await ctx.tick()
            ctx.set(dut.f_redirect, 0)
            ctx.set(dut.f_stall, 1)
            assert ctx.get(dut.f_pc) == pc and ctx.get(dut.ibus_addr) == pc   # stall: re-request
            assert ctx.get(dut.ibus_addr_plus4) == pc + 4
            length = rng.choice((2, 4, 6))
            low = {2: rng.getrandbits(16) & ~3 | rng.randrange(3),
                   4: (rng.getrandbits(16) & ~0x1F) | (rng.randrange(7) << 2) | 3,
                   6: (rng.getrandbits(16) & ~0x3F) | 0x1F}[length]
            insn = low | (rng.getrandbits(32) << 16)
            window = rng.getrandbits(64)
            off = (pc & 2) * 8
            window = (window & ~(((1 << 48) - 1) << off)) | (insn << off)
            ctx.set(dut.ibus_data, window & ((1 << 64) - 1))
            got_len = ctx.get(dut.f_len)
            want_len = isa.insn_length(low) or 2
            got = ctx.get(dut.f_insn) & ((1 << 8 * want_len) - 1)
            if got_len != want_len or got != insn & ((1 << 8 * want_len) - 1):
                bad.append((hex(pc), hex(insn), got_len, want_len))
            ctx.set(dut.f_stall, 0)           # next request is pc + length
            assert ctx.get(dut.ibus_addr) == pc + want_len
            assert ctx.get(dut.ibus_addr_plus4) == pc + want_len + 4
        assert not bad, bad[:5]

    sim = Simulator(dut)
    sim.add_clock(1e-6)
    sim.add_testbench(bench)
    sim.run()


def test_fetch_flags_an_instruction_that_ends_past_ram():
    """f_unmapped: the pc below RAM, or pc + length past its end (also at the top of the
    address space, where pc + length wraps in 32 bits)."""
    ram = 1 << 16
    end = 0x8000_0000 + ram
    dut = Fetch(32, ram)
    lows = {2: 0x0001, 4: 0x0003, 6: 0x001F}
    bad = []

    async def bench(ctx):
        await ctx.tick()
        for pc in (end - 8, end - 6, end - 4, end - 2, end, 0x7FFF_FFFE, 0x8000_0000,
                   0xFFFF_FFFA, 0xFFFF_FFFC, 0xFFFF_FFFE):
            for n, low in lows.items():
                ctx.set(dut.f_redirect, 1)
                ctx.set(dut.f_target, pc)
                ctx.set(dut.f_target_plus4, (pc + 4) & 0xFFFF_FFFF)
                await ctx.tick()
                ctx.set(dut.f_redirect, 0)
                off = (pc & 2) * 8
                ctx.set(dut.ibus_data, low << off)
                want = pc < 0x8000_0000 or pc + n > end
                if ctx.get(dut.f_len) != n or ctx.get(dut.f_unmapped) != want:
                    bad.append((hex(pc), n, ctx.get(dut.f_unmapped), want))
        assert not bad, bad

    sim = Simulator(dut)
    sim.add_clock(1e-6)
    sim.add_testbench(bench)
    sim.run()


def test_spc_lrw_then_trigger_jump_trap_and_mret():
    dut = ShadowPc(64)

    async def bench(ctx):
        def csr(num):
            ctx.set(dut.m_csr_num, num)
            return ctx.get(dut.m_csr_rdata)

        assert csr(0x7C1) == 0                            # reset: disarmed
        # lrw2spc at 0x1000: spc = loaded value, spctrig = 0x1000 | 1; npc 0x1004 no match
        ctx.set(dut.m_retire, 1), ctx.set(dut.m_lrw, 1)
        ctx.set(dut.m_lrw_addr, 0x1000), ctx.set(dut.m_lrw_value, 0xABC0)
        ctx.set(dut.m_npc, 0x1004)
        assert ctx.get(dut.m_jump) == 0
        await ctx.tick()
        ctx.set(dut.m_lrw, 0)
        assert csr(0x7C0) == 0xABC0 and csr(0x7C1) == 0x1001
        # a trap saves and disarms; mret restores
        ctx.set(dut.m_retire, 0), ctx.set(dut.m_trap, 1)
        await ctx.tick()
        ctx.set(dut.m_trap, 0)
        assert csr(0x7C1) == 0x1000 and csr(0x7C3) == 0x1001 and csr(0x7C2) == 0xABC0
        ctx.set(dut.m_retire, 1), ctx.set(dut.m_mret, 1), ctx.set(dut.m_npc, 0x2000)
        assert ctx.get(dut.m_jump) == 0
        await ctx.tick()
        ctx.set(dut.m_mret, 0)
        assert csr(0x7C1) == 0x1001
        # an instruction whose next pc is the trigger: jump to spc, disarm
        ctx.set(dut.m_npc, 0x1000)
        assert ctx.get(dut.m_jump) == 1 and ctx.get(dut.m_target) == 0xABC0
        await ctx.tick()
        ctx.set(dut.m_retire, 1)
        assert csr(0x7C1) == 0x1000 and ctx.get(dut.m_jump) == 0

    sim = Simulator(dut)
    sim.add_clock(1e-6)
    sim.add_testbench(bench)
    sim.run()


def test_spc_jump_compares_the_trigger_each_source_just_wrote():
    """EXTENSIONS.md: the instruction that writes spctrig (lrw2spc, mret, a CSR write) is
    itself compared against the new value; the unit compares each source separately."""
    dut = ShadowPc(32)

    async def bench(ctx):
        def commit(npc, **ports):
            for k, v in ports.items():
                ctx.set(getattr(dut, k), v)
            ctx.set(dut.m_retire, 1), ctx.set(dut.m_npc, npc)
            jump, target = ctx.get(dut.m_jump), ctx.get(dut.m_target)
            return jump, target

        async def done(**ports):
            await ctx.tick()
            for k in ports:
                ctx.set(getattr(dut, k), 0)
            ctx.set(dut.m_retire, 0)

        # lrw2spc whose literal is its own next instruction: jump at once, disarmed
        w = dict(m_lrw=1, m_lrw_addr=0x100, m_lrw_value=0x5550)
        assert commit(0x100, **w) == (1, 0x5550)
        await done(**w)
        ctx.set(dut.m_csr_num, 0x7C1)
        assert ctx.get(dut.m_csr_rdata) == 0x100 and ctx.get(dut.spc) == 0x5550
        # csrw spctrig, armed at the csrw's own next pc
        w = dict(m_csr_num=0x7C1, m_csr_we=1, m_csr_wdata=0x205)
        assert commit(0x204, **w) == (1, 0x5550)
        await done(**w)
        # armed elsewhere, then csrw spc at an instruction whose next pc is the trigger:
        # the jump goes to the value just written
        w = dict(m_csr_num=0x7C1, m_csr_we=1, m_csr_wdata=0x301)
        assert commit(0x204, **w) == (0, 0x5550)
        await done(**w)
        w = dict(m_csr_num=0x7C0, m_csr_we=1, m_csr_wdata=0x7770)
        assert commit(0x300, **w) == (1, 0x7770)
        await done(**w)
        # mret restoring an armed trigger equal to mepc (the next pc)
        w = dict(m_csr_num=0x7C3, m_csr_we=1, m_csr_wdata=0x401)
        assert commit(0x3FC, **w)[0] == 0
        await done(**w)
        w = dict(m_csr_num=0x7C2, m_csr_we=1, m_csr_wdata=0x8880)
        assert commit(0x3FC, **w)[0] == 0
        await done(**w)
        assert commit(0x400, m_mret=1) == (1, 0x8880)
        await done(m_mret=1)
        ctx.set(dut.m_csr_num, 0x7C1)
        assert ctx.get(dut.m_csr_rdata) == 0x400 and ctx.get(dut.spc) == 0x8880

    sim = Simulator(dut)
    sim.add_clock(1e-6)
    sim.add_testbench(bench)
    sim.run()
