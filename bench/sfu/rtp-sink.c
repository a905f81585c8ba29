/*
 * rtp-sink: the SFU benchmark's receivers, in C so that counting what the SFU forwards costs far
 * less than forwarding it (a Node 'message' event per packet would saturate the load generator
 * long before the mediasoup worker). Binds N UDP sockets on 127.0.0.1, prints their ports, counts
 * RTP per SSRC (packets, bytes, highest extended sequence number), answers every stream with an
 * RTCP receiver report once a second, and on "S" (stdin) prints one snapshot line.
 *
 *   cc -O2 -o rtp-sink rtp-sink.c      ./rtp-sink 8
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_SOCKS 64
#define TABLE (1 << 16)
#define BATCH 64
#define PKT 2048

typedef struct {
  uint32_t ssrc;
  int used;
  int fd;
  struct sockaddr_in from;
  uint64_t received, bytes;
  int64_t maxExt, baseExt;
  int64_t prevExpected;
  uint64_t prevReceived;
} stream_t;

static stream_t table[TABLE];
static int nstreams = 0;

static stream_t *lookup(uint32_t ssrc) {
  uint32_t h = (ssrc * 2654435761u) & (TABLE - 1);
  for (;;) {
    stream_t *s = &table[h];
    if (!s->used) {
      if (nstreams >= TABLE / 2) return NULL;
      s->used = 1;
      s->ssrc = ssrc;
      s->maxExt = -1;
      nstreams++;
      return s;
    }
    if (s->ssrc == ssrc) return s;
    h = (h + 1) & (TABLE - 1);
  }
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void send_rr(void) {
  unsigned char rr[32];
  for (int i = 0; i < TABLE; i++) {
    stream_t *s = &table[i];
    if (!s->used || s->maxExt < 0 || s->fd == 0) continue;
    int64_t expected = s->maxExt - s->baseExt + 1;
    int64_t lost = expected - (int64_t)s->received;
    if (lost < 0) lost = 0;
    int64_t expInt = expected - s->prevExpected;
    int64_t recInt = (int64_t)(s->received - s->prevReceived);
    int fraction = 0;
    if (expInt > 0 && expInt > recInt) fraction = (int)(((expInt - recInt) * 256) / expInt);
    if (fraction > 255) fraction = 255;
    s->prevExpected = expected;
    s->prevReceived = s->received;
    memset(rr, 0, sizeof rr);
    rr[0] = 0x81;
    rr[1] = 201;
    rr[3] = 7;
    uint32_t v;
    v = htonl(0x0badcafe); memcpy(rr + 4, &v, 4);
    v = htonl(s->ssrc); memcpy(rr + 8, &v, 4);
    v = htonl(((uint32_t)fraction << 24) | ((uint32_t)(lost > 0x7fffff ? 0x7fffff : lost) & 0xffffff)); memcpy(rr + 12, &v, 4);
    v = htonl((uint32_t)s->maxExt); memcpy(rr + 16, &v, 4);
    sendto(s->fd, rr, sizeof rr, MSG_DONTWAIT, (struct sockaddr *)&s->from, sizeof s->from);
  }
}

static uint64_t rtcp_in = 0, dropped_table = 0;

static void snapshot(void) {
  printf("{\"rtcpIn\":%llu,\"tableFull\":%llu,\"per\":{", (unsigned long long)rtcp_in, (unsigned long long)dropped_table);
  int first = 1;
  for (int i = 0; i < TABLE; i++) {
    stream_t *s = &table[i];
    if (!s->used) continue;
    printf("%s\"%u\":[%llu,%llu,%lld]", first ? "" : ",", s->ssrc, (unsigned long long)s->received, (unsigned long long)s->bytes, (long long)s->maxExt);
    first = 0;
  }
  printf("}}\n");
  fflush(stdout);
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 8;
  if (n < 1 || n > MAX_SOCKS) n = 8;
  int ep = epoll_create1(0);
  printf("{\"ports\":[");
  for (int i = 0; i < n; i++) {
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    int sz = 16 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof sz);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0) { perror("bind"); return 1; }
    socklen_t len = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &len);
    printf("%s%d", i ? "," : "", ntohs(a.sin_port));
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
  }
  printf("]}\n");
  fflush(stdout);
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = 0};
  epoll_ctl(ep, EPOLL_CTL_ADD, 0, &ev);

  static unsigned char bufs[BATCH][PKT];
  struct mmsghdr msgs[BATCH];
  struct iovec iov[BATCH];
  struct sockaddr_in from[BATCH];
  double lastRr = now_s();
  char line[64];
  for (;;) {
    struct epoll_event evs[MAX_SOCKS + 1];
    int k = epoll_wait(ep, evs, MAX_SOCKS + 1, 100);
    for (int e = 0; e < k; e++) {
      int fd = evs[e].data.fd;
      if (fd == 0) {
        if (!fgets(line, sizeof line, stdin)) return 0;
        if (line[0] == 'S') snapshot();
        if (line[0] == 'Q') return 0;
        continue;
      }
      for (;;) {
        for (int i = 0; i < BATCH; i++) {
          iov[i].iov_base = bufs[i];
          iov[i].iov_len = PKT;
          memset(&msgs[i].msg_hdr, 0, sizeof msgs[i].msg_hdr);
          msgs[i].msg_hdr.msg_iov = &iov[i];
          msgs[i].msg_hdr.msg_iovlen = 1;
          msgs[i].msg_hdr.msg_name = &from[i];
          msgs[i].msg_hdr.msg_namelen = sizeof from[i];
        }
        int got = recvmmsg(fd, msgs, BATCH, MSG_DONTWAIT, NULL);
        if (got <= 0) break;
        for (int i = 0; i < got; i++) {
          unsigned char *p = bufs[i];
          unsigned len = msgs[i].msg_len;
          if (len < 12) continue;
          if (p[1] >= 200 && p[1] <= 206) { rtcp_in++; continue; }
          uint32_t ssrc = ((uint32_t)p[8] << 24) | ((uint32_t)p[9] << 16) | ((uint32_t)p[10] << 8) | p[11];
          uint16_t seq = (uint16_t)((p[2] << 8) | p[3]);
          stream_t *s = lookup(ssrc);
          if (!s) { dropped_table++; continue; }
          if (s->fd == 0) { s->fd = fd; s->from = from[i]; }
          s->received++;
          s->bytes += len;
          if (s->maxExt < 0) s->maxExt = s->baseExt = seq;
          else {
            uint16_t last = (uint16_t)(s->maxExt & 0xffff);
            uint16_t delta = (uint16_t)(seq - last);
            if (delta < 0x8000) s->maxExt += delta;
          }
        }
        if (got < BATCH) break;
      }
    }
    double t = now_s();
    if (t - lastRr >= 1.0) {
      lastRr = t;
      send_rr();
    }
  }
}
