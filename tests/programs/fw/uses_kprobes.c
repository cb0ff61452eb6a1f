/* Uses the tracing API: must not link while the runtime does not provide it. */
#include <linux/kprobes.h>
static struct kprobe kp = { .symbol_name = "main" };
int main(void) { return register_kprobe(&kp); }
