/* A fatal trap in the kernel: an illegal instruction. The run must fail with a report. */
#include <linux/kernel.h>
int main(void)
{
    __asm__ __volatile__(".4byte 0xffffffff");
    return 0;
}
