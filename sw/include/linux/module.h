#ifndef _LINUX_MODULE_H
#define _LINUX_MODULE_H
#include <linux/kernel.h>

/* A "module" is linked into the image: module_init functions run before main(),
 * module_exit functions after it, in link order. */
typedef int (*initcall_t)(void);
typedef void (*exitcall_t)(void);
#define module_init(fn) \
    static initcall_t __initcall_##fn __attribute__((section(".initcall"), used)) = fn
#define module_exit(fn) \
    static exitcall_t __exitcall_##fn __attribute__((section(".exitcall"), used)) = fn
/* Module parameters: the image has no command line, so they keep their initial values. */
#define module_param(name, type, perm)
#define module_param_string(name, string, len, perm)
#define MODULE_PARM_DESC(name, desc)
#define MODULE_LICENSE(x)
#define MODULE_AUTHOR(x)
#define MODULE_DESCRIPTION(x)
#define __init
#define __exit
#define THIS_MODULE ((void *)0)
#endif
