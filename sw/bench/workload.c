/* A compiled C workload for speed and CPI measurements: insertion sort, CRC-32,
 * a small matrix multiply and a linked-list walk, repeated ROUNDS times. It checks its
 * own results (exit 0 = right), so a wrong core or model cannot report a speed. */
#include <linux/kernel.h>

#ifndef ROUNDS
#define ROUNDS 20
#endif
#define N 64

static unsigned int seed = 12345;
static unsigned int rnd(void) { seed = seed * 1103515245u + 12345u; return seed >> 8; }

static int sorted_ok(const int *a, int n)
{
    for (int i = 1; i < n; i++)
        if (a[i - 1] > a[i])
            return 0;
    return 1;
}

static void sort(int *a, int n)
{
    for (int i = 1; i < n; i++) {
        int v = a[i], j = i - 1;
        while (j >= 0 && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

static unsigned int crc32(const unsigned char *p, int n)
{
    unsigned int c = 0xffffffffu;
    while (n--) {
        c ^= *p++;
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xedb88320u & -(c & 1));
    }
    return ~c;
}

static void matmul(int a[8][8], int b[8][8], int c[8][8])
{
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 8; j++) {
            int s = 0;
            for (int k = 0; k < 8; k++)
                s += a[i][k] * b[k][j];
            c[i][j] = s;
        }
}

struct node { struct node *next; int v; };

int main(void)
{
    static int a[N];
    static int m1[8][8], m2[8][8], m3[8][8];
    static struct node nodes[N];
    unsigned int check = 0;
    for (int r = 0; r < ROUNDS; r++) {
        for (int i = 0; i < N; i++)
            a[i] = (int)(rnd() % 1000) - 500;
        sort(a, N);
        if (!sorted_ok(a, N))
            return 1;
        check += crc32((const unsigned char *)a, sizeof(a));
        for (int i = 0; i < 8; i++)
            for (int j = 0; j < 8; j++) {
                m1[i][j] = (int)(rnd() % 17);
                m2[i][j] = i == j;                 /* identity: m3 must equal m1 */
            }
        matmul(m1, m2, m3);
        for (int i = 0; i < 8; i++)
            for (int j = 0; j < 8; j++)
                if (m3[i][j] != m1[i][j])
                    return 2;
        for (int i = 0; i < N; i++) {
            nodes[i].v = i;
            nodes[i].next = i + 1 < N ? &nodes[(i * 7 + 1) % N] : 0;
        }
        int sum = 0, steps = 0;
        for (struct node *p = &nodes[0]; p && steps < N; p = p->next, steps++)
            sum += p->v;
        check += (unsigned int)sum;
    }
    /* CRC-32 of a known string: "123456789" -> 0xcbf43926 (the standard check value). */
    if (crc32((const unsigned char *)"123456789", 9) != 0xcbf43926u)
        return 3;
    printk("workload: %d rounds, check %08x\n", ROUNDS, check);
    return 0;
}
