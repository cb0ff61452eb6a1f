#ifndef _LINUX_SCHED_H
#define _LINUX_SCHED_H
/* One task: the firmware's main program, which also owns the U-mode task's memory, so
 * `current->mm` is set (a Linux kernel thread's would be NULL and a kretprobe sample's
 * entry_handler would skip it). */
#include <linux/types.h>

#define TASK_COMM_LEN 16

struct mm_struct {
    unsigned long start_code, end_code;     /* the U-mode task's region */
};
struct task_struct {
    int pid;
    char comm[TASK_COMM_LEN];
    struct mm_struct *mm;
};

extern struct task_struct init_task;
#define current (&init_task)
#endif
