// SPDX-License-Identifier: GPL-2.0
/*
 * Framing of the xvsadm <-> xvsd protocol (see ipc.h): a fixed header in
 * host byte order (both ends run on one machine) and a body of hdr.len
 * bytes. Both directions loop until the whole message has moved, retrying
 * EINTR and short transfers.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include "ipc.h"

/*
 * Writes every byte of iov[0..n). sendmsg with MSG_NOSIGNAL so that a
 * vanished peer gives -EPIPE instead of killing the process; writev when
 * fd is not a socket (a pipe in a test). Advances iov in place.
 */
static int write_all(int fd, struct iovec *iov, int n)
{
	int use_write = 0;

	while (n > 0) {
		struct msghdr msg = {.msg_iov = iov, .msg_iovlen = n};
		ssize_t done;

		if (use_write)
			done = writev(fd, iov, n);
		else
			done = sendmsg(fd, &msg, MSG_NOSIGNAL);
		if (done < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOTSOCK && !use_write) {
				use_write = 1;
				continue;
			}
			return -errno;
		}
		while (n > 0 && (size_t)done >= iov->iov_len) {
			done -= iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + done;
			iov->iov_len -= done;
		}
	}
	return 0;
}

int xvs_ipc_send(int fd, __u16 op, __s32 status, const void *body, __u32 len)
{
	struct xvs_ipc_hdr hdr = {
		.magic = XVS_IPC_MAGIC,
		.version = XVS_IPC_VERSION,
		.op = op,
		.len = len,
		.status = status,
	};
	struct iovec iov[2] = {
		{.iov_base = &hdr, .iov_len = sizeof(hdr)},
		{.iov_base = (void *)body, .iov_len = len},
	};

	if (len > XVS_IPC_MAX_BODY || (len && !body))
		return -EINVAL;
	return write_all(fd, iov, len ? 2 : 1);
}

/* Reads exactly len bytes; a peer that closes first gives -ECONNRESET. */
static int read_all(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t got = read(fd, p, len);

		if (got < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (got == 0)
			return -ECONNRESET;
		p += got;
		len -= got;
	}
	return 0;
}

int xvs_ipc_recv(int fd, struct xvs_ipc_hdr *hdr, void **body)
{
	void *buf = NULL;
	int err;

	*body = NULL;
	err = read_all(fd, hdr, sizeof(*hdr));
	if (err)
		return err;
	if (hdr->magic != XVS_IPC_MAGIC || hdr->version != XVS_IPC_VERSION ||
	    hdr->len > XVS_IPC_MAX_BODY)
		return -EPROTO;
	if (!hdr->len)
		return 0;
	buf = malloc(hdr->len);
	if (!buf)
		return -ENOMEM;
	err = read_all(fd, buf, hdr->len);
	if (err) {
		free(buf);
		return err;
	}
	*body = buf;
	return 0;
}
