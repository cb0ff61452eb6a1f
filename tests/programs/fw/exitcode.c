#include <linux/kernel.h>
int main(void) { return 7; }
