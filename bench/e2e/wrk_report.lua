-- SPDX-License-Identifier: GPL-2.0
-- wrk's summary as one line, "WRKJSON {...}", for bench/e2e/run.sh: the
-- exact counts and percentiles behind what --latency prints rounded.
-- Defines only done(), so wrk still sends its static request.
done = function(summary, latency, requests)
	local e = summary.errors
	io.write(string.format(
		'WRKJSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
		'"connect": %d, "read": %d, "write": %d, "status": %d, ' ..
		'"timeout": %d, "p50_us": %d, "p99_us": %d, "mean_us": %.1f, ' ..
		'"max_us": %d}\n',
		summary.requests, summary.duration, summary.bytes, e.connect,
		e.read, e.write, e.status, e.timeout, latency:percentile(50),
		latency:percentile(99), latency.mean, latency.max))
end
