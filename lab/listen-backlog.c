/*
 * LD_PRELOAD shim for the lab's fleet: xrdp 0.9 passes a listen backlog of 2, so a scan that
 * opens connections faster than xrdp accepts them overflows the queue and the kernel drops
 * SYNs. Windows listens with a backlog in the hundreds; this raises any smaller backlog to
 * LAB_LISTEN_BACKLOG (default 128, capped by net.core.somaxconn) so the fleet behaves like it.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <sys/socket.h>

int listen(int fd, int backlog) {
  static int (*real_listen)(int, int);
  if (real_listen == NULL) {
    real_listen = (int (*)(int, int))dlsym(RTLD_NEXT, "listen");
    if (real_listen == NULL) {
      return -1;
    }
  }
  const char *v = getenv("LAB_LISTEN_BACKLOG");
  int floor = v != NULL ? atoi(v) : 128;
  return real_listen(fd, backlog < floor ? floor : backlog);
}
