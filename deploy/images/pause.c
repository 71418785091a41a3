/* The pod sandbox's init: holds the pod's namespaces open, reaps orphans re-parented to it
 * (it is PID 1 when the pod shares a PID namespace), and exits 0 on SIGTERM or SIGINT. */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_stop(int sig) { (void)sig; _exit(0); }

static void on_child(int sig) {
  (void)sig;
  while (waitpid(-1, 0, WNOHANG) > 0) {
  }
}

int main(void) {
  struct sigaction stop = {0}, child = {0};
  stop.sa_handler = on_stop;
  child.sa_handler = on_child;
  child.sa_flags = SA_NOCLDSTOP | SA_RESTART;
  sigaction(SIGTERM, &stop, 0);
  sigaction(SIGINT, &stop, 0);
  sigaction(SIGCHLD, &child, 0);
  for (;;) pause();
}
