"""The golden model: one RV32/RV64 IMC hart with M and U modes, and its SoC.

    m = Machine(CoreConfig(xlen=64)); m.load(program)
    m.run(max_insns) -> RunResult        fast path
    m.step() -> Retire                   one retirement, every RVFI field filled

Both paths run the same per-address closures (execute.py), built once per instruction
address and mode and dropped when code is stored to, on fence.i, and when PMP or
trigger CSRs change (fetch permission and execute triggers are compiled in).

Lockstep hooks (used by the co-simulation bench, sim/bench):
- `lockstep = True`: the model never takes an interrupt by itself and its mip is
  `mip_ext` (set by the checker from the RTL's `rvfi_ext_mip`);
- `interrupt(cause)`: enter the handler for interrupt `cause` now, as the RTL did
  before the retirement that it flags with `rvfi_intr`;
- `step(override_rd=v)`: for a read of a non-deterministic source (mcycle/cycle/time/
  mip CSRs, CLINT loads) the RTL's value v is written to rd instead of the model's.

Timing model: one cycle per instruction (trapped ones included); mtime = mcycle.
"""
import sys

from spcore import platform as P
from spcore.isa import decode, expand, insn_length
from spcore.result import RunResult
from spcore.rvfi import Retire

from .bus import Bus
from .csr import MSTATUS_MIE, MSTATUS_MPIE, MSTATUS_MPP, MSTATUS_MPRV, CsrFile
from .execute import SEMANTICS, _alu_ops
from .pmp import R, W, X, Pmp
from .spc import ShadowPc
from .traps import (FETCH_ACCESS, ILLEGAL_INSN, IRQ_MEI, IRQ_MSI, IRQ_MTI, IRQ_PRIORITY,
                    LOAD_ACCESS, MISALIGNED_LOAD, MISALIGNED_STORE, STORE_ACCESS,
                    BREAKPOINT, Halt, Trap)
from .triggers import EXECUTE, LOAD, STORE, Triggers

NEVER = 1 << 80


class Machine:
    def __init__(self, config, console=None):
        self.config = config
        self.xlen = config.xlen
        self.mask = (1 << self.xlen) - 1
        self.exts = config.extensions
        self.alu = _alu_ops(self.xlen)
        self.x = [0] * 33                       # x0..x31, and 32: the x0 write sink
        self.pc = P.RESET_PC
        self.mode = 3
        self.cycle = 0
        self.instret = 0                        # the minstret counter (CSR writes move it)
        self.instret_written = 0                # what CSR writes added to it, so that
        self.mtime_offset = 0                   # retired() counts only real retirements
        self.bus = Bus(self, config.ram_size)
        self.ram, self.ram_last = self.bus.ram, config.ram_size
        self.pmp = Pmp(config.pmp_entries, self.xlen)
        self.triggers = Triggers(config.triggers, self.xlen)
        self.spc = ShadowPc()
        self.csr = CsrFile(self)
        self.console = bytearray()
        self.console_stream = console            # file to echo console bytes to, or None
        self.lockstep = False
        self.mip_ext = 0
        self.pending_intr = False                # interrupt() entered a handler: mark intr
        self.tohost = None
        self.caches = {0: {}, 3: {}}             # mode -> {pc: closure}
        self.infos = {0: {}, 3: {}}              # mode -> {pc: (decoded, bits, length, name, fields)}
        self.code_words = set()
        self.event_at = 0                        # cycle at which to look at interrupts again
        self.mem = None                          # (addr, rmask, wmask, rdata, wdata) of the step
        self.order = 0
        self.last_pcs = []
        self._select_mode()

    # ================================================================ program loading
    def load(self, program):
        for addr, data in program.segments:
            self.bus.load_image(addr, data)
        self.pc = program.entry
        self.tohost = program.tohost
        self.flush_decode_cache()

    # ================================================================ memory access
    def _select_mode(self):
        self.cache = self.caches[self.mode]
        self.info = self.infos[self.mode]
        self.privilege_changed()

    def privilege_changed(self):
        ms = self.csr.mstatus
        self.data_priv = (ms >> 11) & 3 if self.mode == 3 and ms & MSTATUS_MPRV else self.mode
        self.protection_changed()
        self.irq_recheck()

    def protection_changed(self):
        """Recompute whether data accesses need PMP or trigger checks (fast path off)."""
        self.data_checks = self.data_priv != 3 or self.pmp.any_locked or \
            self.triggers.data_active

    def _check_data(self, addr, size, perm, kind):
        if self.triggers.data_active and self.triggers.matches(kind, addr, self.mode):
            raise Trap(BREAKPOINT, addr)
        if (self.data_priv != 3 or self.pmp.any_locked) and \
                not self.pmp.allows(addr, size, perm, self.data_priv):
            raise Trap(LOAD_ACCESS if perm == R else STORE_ACCESS, addr)

    def mem_load(self, addr, size):
        if addr & (size - 1):
            raise Trap(MISALIGNED_LOAD, addr)
        if self.data_checks:
            self._check_data(addr, size, R, LOAD)
        o = addr - P.RAM_BASE
        if 0 <= o <= self.ram_last - size:            # RAM: the common case, inline
            value = int.from_bytes(self.ram[o:o + size], "little")
        else:
            value = self.bus.read(addr, size)
            if value is None:
                raise Trap(LOAD_ACCESS, addr)
        self.mem = (addr, (1 << size) - 1, 0, value, 0)
        return value

    def mem_store(self, addr, size, value):
        if addr & (size - 1):
            raise Trap(MISALIGNED_STORE, addr)
        if self.data_checks:
            self._check_data(addr, size, W, STORE)
        self.mem = (addr, 0, (1 << size) - 1, 0, value)
        if not self.bus.write(addr, size, value):
            self.mem = None
            raise Trap(STORE_ACCESS, addr)
        if (addr >> 2) in self.code_words or ((addr + size - 1) >> 2) in self.code_words:
            self._invalidate(addr, size)
        th = self.tohost
        if th is not None and th <= addr + size - 1 and addr < th + 8:
            v = self.bus.read(th, 8)
            if v:
                raise Halt((v >> 1) if v & 1 else -1, "tohost")

    # ================================================================ devices
    def console_out(self, byte):
        self.console.append(byte)
        if self.console_stream is not None:
            self.console_stream.write(chr(byte))
            if byte == 10:
                self.console_stream.flush()

    def sim_exit(self, code):
        raise Halt(code, "sim-exit")

    def mtime(self):
        return (self.cycle + self.mtime_offset) & ((1 << 64) - 1)

    def set_mtime(self, value):
        self.mtime_offset = value - self.cycle

    def mip(self):
        if self.lockstep:
            return self.mip_ext
        clint = self.bus.clint
        v = clint.msip << IRQ_MSI
        if self.mtime() >= clint.mtimecmp:
            v |= 1 << IRQ_MTI
        return v

    def irq_recheck(self):
        self.event_at = 0

    def write_counter(self, which, value, shift, width):
        """A CSR write to mcycle/minstret (or a half on RV32).

        The write takes precedence over the instruction's own increment, which the
        execution loop still applies: store value - 1 (as Spike does).
        """
        field = ((1 << width) - 1) << shift
        old = getattr(self, which)
        new = ((old & ~field) | ((value << shift) & field)) & ((1 << 64) - 1)
        setattr(self, which, new - 1)
        if which == "cycle":
            self.mtime_offset += old - (new - 1)    # mtime keeps running on its own
        else:
            self.instret_written += (new - 1) - old

    def retired(self):
        """Instructions retired since reset, whatever the program wrote to minstret."""
        return self.instret - self.instret_written

    # ================================================================ decode cache
    def flush_decode_cache(self):
        for c in self.caches.values():
            c.clear()
        for i in self.infos.values():
            i.clear()
        self.code_words.clear()

    def _invalidate(self, addr, size):
        for pc in range(addr - 5, addr + size):
            for c in self.caches.values():
                c.pop(pc, None)
            for i in self.infos.values():
                i.pop(pc, None)

    def _fetch16(self, addr):
        if not (self.pmp.allows(addr, 2, X, self.mode)) or not self.bus.in_ram(addr, 2):
            raise Trap(FETCH_ACCESS, addr)
        return self.bus.read(addr, 2)

    def _compile(self, pc):
        """Build (and cache) the closure for the instruction at pc in the current mode."""
        if self.triggers.count and self.triggers.matches(EXECUTE, pc, self.mode):
            def breakpoint_trigger():
                raise Trap(BREAKPOINT, pc)
            return breakpoint_trigger, None
        bits = self._fetch16(pc)
        length = insn_length(bits) or 2
        for i in range(1, length // 2):
            bits |= self._fetch16(pc + 2 * i) << (16 * i)
        d = decode(bits, self.xlen, self.exts)
        if d is None:
            tval = bits & ((1 << min(self.xlen, 8 * length)) - 1)

            def illegal():
                raise Trap(ILLEGAL_INSN, tval)
            fn, info = illegal, (None, bits, length, None, {})
        else:
            name, fields = expand(d) if d.spec.expands_to else (d.name, d.f)
            fn = SEMANTICS[name](self, fields, pc, length)
            info = (d, bits, length, name, fields)
        self.cache[pc] = fn
        self.info[pc] = info
        for a in range(pc, pc + length, 2):
            self.code_words.add(a >> 2)
        return fn, info

    # ================================================================ traps
    def _enter_trap(self, cause, tval, interrupt=False):
        """Take a trap at self.pc; return the handler address."""
        c = self.csr
        c.mepc = self.pc
        c.mcause = ((1 << (self.xlen - 1)) | cause) if interrupt else cause
        c.mtval = tval & self.mask
        ms = c.mstatus
        mpie = MSTATUS_MPIE if ms & MSTATUS_MIE else 0
        c.mstatus = (ms & ~(MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP)) | mpie | (self.mode << 11)
        self.spc.on_trap()
        self.mode = 3
        self._select_mode()
        base = c.mtvec & ~3
        if interrupt and c.mtvec & 1:
            return (base + 4 * cause) & self.mask
        return base

    def mret(self):
        c = self.csr
        ms = c.mstatus
        new_mode = (ms >> 11) & 3
        mie = MSTATUS_MIE if ms & MSTATUS_MPIE else 0
        ms = (ms & ~(MSTATUS_MIE | MSTATUS_MPP)) | mie | MSTATUS_MPIE   # MPP <- U (least)
        if new_mode != 3:
            ms &= ~MSTATUS_MPRV
        c.mstatus = ms
        self.spc.on_mret()
        self.mode = new_mode
        self._select_mode()
        return c.mepc

    def pending_interrupt(self):
        """The highest-priority interrupt that is pending and enabled, or None."""
        c = self.csr
        ready = self.mip() & c.mie
        if not ready or (self.mode == 3 and not c.mstatus & MSTATUS_MIE):
            return None
        for irq in IRQ_PRIORITY:
            if ready >> irq & 1:
                return irq
        return None

    def interrupt(self, cause):
        """Enter the handler of interrupt `cause` now (lockstep hook)."""
        self.pc = self._enter_trap(cause, 0, interrupt=True)
        self.pending_intr = True

    def wait_for_interrupt(self):
        # Nothing else runs on this machine: advance time to the timer compare value
        # when the timer interrupt is enabled in mie and nothing else is pending.
        if self.lockstep:
            return
        clint = self.bus.clint
        if not self.mip() & self.csr.mie and self.csr.mie & (1 << IRQ_MTI) \
                and clint.mtimecmp < (1 << 63):
            self.cycle = max(self.cycle, clint.mtimecmp - self.mtime_offset - 1)
        self.irq_recheck()

    def _poll_interrupts(self):
        """Called when cycle >= event_at; take an interrupt or schedule the next look."""
        irq = self.pending_interrupt()
        if irq is not None:
            self.pc = self._enter_trap(irq, 0, interrupt=True)
            self.event_at = 0
            return True
        if self.lockstep:
            self.event_at = NEVER
        else:
            clint = self.bus.clint
            at = clint.mtimecmp - self.mtime_offset
            self.event_at = at if at > self.cycle else NEVER
        return False

    # ================================================================ execution
    def _finish(self, npc):
        """Next pc after a retirement without trap: the Xspc shadow jump applies."""
        s = self.spc
        if s.spctrig & 1 and npc == s.spctrig & ~1:
            s.spctrig &= ~1
            return s.spc
        return npc

    def run(self, max_insns=10_000_000):
        """Run until the program ends or max_insns instructions; return a RunResult.

        The budget counts trapped instructions too, so a trap loop times out.
        """
        status, code, via = "timeout", None, None
        ring, n = [0] * 16, 0                     # the last 16 pcs, for a timeout report
        spc, mask, lockstep = self.spc, self.mask, self.lockstep
        pc = self.pc                              # self.pc is written back before anything reads it
        try:
            for n in range(max_insns):
                if self.cycle >= self.event_at and not lockstep:
                    self.pc = pc
                    self._poll_interrupts()
                    pc = self.pc
                ring[n & 15] = pc
                fn = self.cache.get(pc)
                try:
                    if fn is None:
                        self.pc = pc
                        fn = self._compile(pc)[0]
                    npc = fn() & mask
                    if spc.spctrig & 1 and npc == spc.spctrig & ~1:    # Xspc shadow jump
                        spc.spctrig &= ~1
                        npc = spc.spc
                    pc = npc
                    self.instret += 1
                except Trap as t:
                    self.pc = pc
                    pc = self._trap(t)
                self.cycle += 1
            n += 1
            self.pc = pc
        except Halt as h:
            self.pc = pc
            self.instret += 1
            self.cycle += 1
            n += 1
            code, via = h.code, h.via
            status = "pass" if code == 0 else "fail"
        self.last_pcs = [ring[i & 15] for i in range(max(0, n - 16), n)]
        return RunResult(status=status, exit_code=code, instret=self.retired(),
                         cycles=self.cycle, console=self.console.decode("latin-1"),
                         last_pcs=self.last_pcs, extra={"end": via} if via else {})

    def _trap(self, t):
        tval = t.tval
        if t.cause == ILLEGAL_INSN:
            info = self.info.get(self.pc)
            bits, length = (info[1], info[2]) if info else (0, 4)
            tval = bits & ((1 << min(self.xlen, 8 * length)) - 1)
        return self._enter_trap(t.cause, tval)

    def step(self, override_rd=None):
        """Execute one instruction (or take one pending interrupt first); return a Retire.

        Raises Halt when the instruction ended the program (the record is in .retire).
        """
        intr = self.pending_intr
        self.pending_intr = False
        if not self.lockstep and self.cycle >= self.event_at:
            intr = self._poll_interrupts() or intr
        pc, mode = self.pc, self.mode
        r = Retire(order=self.order, intr=int(intr), mode=mode, ixl=1 if self.xlen == 32 else 2,
                   pc_rdata=pc)
        self.order += 1
        self.mem = None
        halt = None
        x = self.x
        try:
            fn = self.cache.get(pc)
            info = self.info.get(pc)
            if fn is None:
                fn, info = self._compile(pc)
            if info is not None:
                r.insn = info[1]
                f = info[4]
                for port in ("rs1", "rs2"):
                    if port in f:
                        setattr(r, port + "_addr", f[port])
                        setattr(r, port + "_rdata", x[f[port]])
            try:
                npc = fn() & self.mask
            except Halt as h:
                npc, halt = (pc + info[2]) & self.mask, h
            npc = self._finish(npc)
            if info is not None and "rd" in info[4] and info[4]["rd"]:
                rd = info[4]["rd"]
                if override_rd is not None:
                    x[rd] = override_rd & self.mask
                r.rd_addr, r.rd_wdata = rd, x[rd]
            if self.mem is not None:
                (r.mem_addr, r.mem_rmask, r.mem_wmask, r.mem_rdata, r.mem_wdata) = self.mem
            self.pc = npc
            self.instret += 1
        except Trap as t:
            r.trap = 1
            if r.insn == 0:
                info = self.info.get(pc)
                r.insn = info[1] if info else 0
            r.rd_addr = r.rd_wdata = 0
            r.mem_addr = r.mem_rmask = r.mem_wmask = r.mem_rdata = r.mem_wdata = 0
            npc = self.pc = self._trap(t)
        self.cycle += 1
        r.pc_wdata = npc
        if halt is not None:
            halt.retire = r
            raise halt
        return r
