/* What CoreMark's coremark.h asks of a port, for spcore (written for this project; the
 * benchmark itself is EEMBC's and is not in this repository: `spcore coremark --dir DIR`).
 *
 * The program runs as main() of the machine-mode kernel (spcore build), prints through
 * printk, and times itself with mcycle: on the RTL a tick is a clock cycle, on the golden
 * model (no timing) an instruction. */
#ifndef CORE_PORTME_H
#define CORE_PORTME_H

#include <stddef.h>

#define HAS_FLOAT 0            /* no F/D: times are whole seconds, CoreMark/MHz is computed
                                  by the host from the tick count */
#define HAS_TIME_H 0
#define USE_CLOCK 0
#define HAS_STDIO 0
#define HAS_PRINTF 0           /* ee_printf is ours (core_portme.c) */
#define MAIN_HAS_NOARGC 1
#define MAIN_HAS_NORETURN 0
#define SEED_METHOD SEED_VOLATILE
#define MEM_METHOD MEM_STACK
#define MEM_LOCATION "STACK"
#define MULTITHREAD 1

#ifndef COMPILER_VERSION
#define COMPILER_VERSION "GCC " __VERSION__
#endif
#ifndef COMPILER_FLAGS
#define COMPILER_FLAGS "spcore build (see spcore coremark --help)"
#endif

#if !defined(PROFILE_RUN) && !defined(PERFORMANCE_RUN) && !defined(VALIDATION_RUN)
#define PERFORMANCE_RUN 1
#endif

typedef signed short ee_s16;
typedef unsigned short ee_u16;
typedef signed int ee_s32;
typedef unsigned int ee_u32;
typedef unsigned char ee_u8;
typedef double ee_f32;
typedef unsigned long ee_ptr_int;     /* holds a pointer on RV32 and RV64 */
typedef size_t ee_size_t;
typedef ee_u32 CORE_TICKS;            /* 4 G cycles: far more than a simulated run */

/* round a pointer up to 4 bytes */
#define align_mem(x) (void *)(4 + (((ee_ptr_int)(x) - 1) & ~3))

typedef struct {
    ee_u8 portable_id;
} core_portable;

extern ee_u32 default_num_contexts;

void portable_init(core_portable *p, int *argc, char *argv[]);
void portable_fini(core_portable *p);
int ee_printf(const char *fmt, ...);     /* HAS_PRINTF 0: the port prints (printk) */

#endif
