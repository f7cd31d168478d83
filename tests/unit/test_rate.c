// SPDX-License-Identifier: GPL-2.0
#include "test.h"
#include "rate.h"

TEST(rate_estimator)
{
	struct xvs_stats s = { 0 };
	struct xvs_rate_est e;
	struct xvs_rates r;

	xvs_rate_init(&e, &s);
	xvs_rate_read(&e, &r);
	CHECK(r.cps == 0 && r.inbps == 0, "starts at zero");
	/* A steady 100 conn/s, 1000 pkt/s, 64000 B/s for 160 s. */
	for (int i = 0; i < 80; i++) {
		s.conns += 200;
		s.inpkts += 2000;
		s.inbytes += 128000;
		xvs_rate_sample(&e, &s);
	}
	xvs_rate_read(&e, &r);
	CHECK(r.cps == 100, "cps converges to 100, got %u", r.cps);
	CHECK(r.inpps == 1000, "inpps converges to 1000, got %u", r.inpps);
	CHECK(r.inbps == 64000, "inbps converges to 64000, got %u", r.inbps);
	CHECK(r.outpps == 0, "no replies seen in DR, got %u", r.outpps);
	/* One sample later at zero traffic the average falls by a quarter. */
	xvs_rate_sample(&e, &s);
	xvs_rate_read(&e, &r);
	CHECK(r.cps == 75, "after one idle sample cps is 75, got %u", r.cps);
}
