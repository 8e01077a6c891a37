#pragma once
// Independent runs (replications) on a few threads. Run i always does the
// same work whatever thread takes it, and its caller stores the result by i,
// so results never depend on the thread count. Shared by every engine that
// replicates (operations, evacuation).
#include <functional>

namespace halltwin {

// Calls job(i) for every i in [0, n) on up to `threads` threads (the calling
// thread is one of them), then `done(finished, n)` after each job, one call
// at a time. The first exception a job throws stops the others from starting
// new jobs and is rethrown once every thread has stopped.
void run_indexed(int n, int threads, const std::function<void(int)>& job,
                 const std::function<void(int, int)>& done = {});

}  // namespace halltwin
