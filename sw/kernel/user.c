/* The U-mode task: PMP setup, entry with mret, system calls, and the way back. */
#include <linux/kernel.h>
#include <asm/csr.h>
#include <asm/traps.h>
#include <asm/user.h>

struct kernel_context { unsigned long regs[14]; };
long kernel_context_save(struct kernel_context *c);
void kernel_context_resume(struct kernel_context *c, long v) __attribute__((noreturn));
void ret_from_trap(struct pt_regs *regs) __attribute__((noreturn));
extern char __user_stack_top[];

static struct kernel_context kernel_ctx;
static int in_user_task;

#define PMP_R 1
#define PMP_W 2
#define PMP_X 4
#define PMP_TOR (1 << 3)

/* Entry 0: [0, __user_start) no access (kernel text and data);
 * entry 1: [__user_start, __user_end) RWX (the task's code, data, stack, XOL slots);
 * no match: denied for U. M-mode is not restricted (no entry is locked). */
static void notrace pmp_setup_user(void)
{
    csr_write(0x3b0, (unsigned long)__user_start >> 2);
    csr_write(0x3b1, (unsigned long)__user_end >> 2);
    csr_write(0x3a0, (PMP_TOR << 0) | ((PMP_TOR | PMP_R | PMP_W | PMP_X) << 8));
}

long notrace run_user_task(user_fn_t fn, long arg)
{
    long ret = kernel_context_save(&kernel_ctx);
    if (ret || in_user_task) {           /* came back through kernel_context_resume */
        in_user_task = 0;
        return (ret & 1) ? ret >> 1 : ret;   /* exit value, or -EFAULT */
    }
    pmp_setup_user();
    static struct pt_regs regs;          /* the task's initial registers */
    memset(&regs, 0, sizeof(regs));
    regs.epc = (unsigned long)fn;
    regs.a0 = (unsigned long)arg;
    regs.sp = (unsigned long)__user_stack_top;
    regs.ra = (unsigned long)user_exit;  /* returning from fn exits the task */
    regs.status = (csr_read(CSR_MSTATUS) & ~SR_MPP) | SR_MPIE;   /* MPP = U, MIE on */
    in_user_task = 1;
    /* Enter through the trap return path with a frame well below this function's
     * stack: ret_from_trap points mscratch just above it, so the task's traps use the
     * kernel stack from there down and never touch the frames still live above. */
    struct pt_regs *frame = (struct pt_regs *)(((unsigned long)__builtin_frame_address(0)
                              - 1024 - sizeof(struct pt_regs)) & ~15UL);
    *frame = regs;
    ret_from_trap(frame);
}

/* Exit values travel as v << 1 | 1 (so 0 is never passed to resume). */
static void notrace back_to_kernel(long value)
{
    csr_write(0x3a0, 0);                 /* PMP off again */
    kernel_context_resume(&kernel_ctx, value);
}

long notrace user_task_fault(struct pt_regs *regs)
{
    (void)regs;
    back_to_kernel(-EFAULT);
    return 0;
}

long notrace user_task_syscall(struct pt_regs *regs)
{
    switch (regs->a7) {
    case SYS_exit:
        back_to_kernel(((long)regs->a0 << 1) | 1);
        break;
    case SYS_putchar:
        console_putc((char)regs->a0);
        regs->a0 = 0;
        break;
    case SYS_yield:
        regs->a0 = 0;
        break;
    default:
        regs->a0 = (unsigned long)-ENOSYS;
    }
    regs->epc += 4;
    return 0;
}

/* ---- the task's side: these run in U-mode, so they live in the user region ---- */
long __user_text user_syscall(long nr, long a0, long a1)
{
    register long r_a0 __asm__("a0") = a0;
    register long r_a1 __asm__("a1") = a1;
    register long r_a7 __asm__("a7") = nr;
    __asm__ __volatile__("ecall" : "+r"(r_a0) : "r"(r_a1), "r"(r_a7) : "memory");
    return r_a0;
}

void __user_text user_exit(long code)
{
    user_syscall(SYS_exit, code, 0);
    for (;;)
        ;
}

void __user_text user_putc(char c)
{
    user_syscall(SYS_putchar, c, 0);
}

void __user_text user_puts(const char *s)
{
    while (*s)
        user_putc(*s++);
}
