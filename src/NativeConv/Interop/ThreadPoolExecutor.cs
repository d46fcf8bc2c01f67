using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NativeConv.Interop;

// Supplies the native library's threads from the .NET thread pool (nc_executor). The calling thread takes tasks
// too, and pool threads only help: tasks are claimed from a shared counter, so everything completes even if no
// pool thread ever starts (a starved pool cannot deadlock a run), and a helper that starts after the run has
// finished finds no task left and never touches the native task pointers, which are dead by then.
internal static unsafe class ThreadPoolExecutor
{
    // The thread cap travels in the executor's context pointer as a plain integer, so the executor needs no memory
    // of its own. For a single thread callers pass no executor at all, which the library runs serially.
    internal static nc_executor Create(int maxThreads) => new()
    {
        context = (void*)(nuint)maxThreads,
        parallel_for = &ParallelFor,
        max_threads = (nuint)maxThreads,
    };

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxThreads"/> is negative.</exception>
    internal static int ResolveMaxThreads(int maxThreads)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxThreads);
        return maxThreads == 0 ? Environment.ProcessorCount : maxThreads;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void ParallelFor(void* context, delegate* unmanaged[Cdecl]<void*, nuint, void> task, void* taskContext, nuint taskCount)
    {
        long count = (long)taskCount;
        int helpers = (int)Math.Min(count, (long)(nuint)context) - 1;
        // Task numbers share a 64-bit word with the run number; the library asks for a few tasks per thread, far
        // fewer than int.MaxValue, and a larger count would simply run serially.
        Job? job = helpers > 0 && count <= int.MaxValue ? Job.Start(task, taskContext, (int)count, helpers) : null;
        if (job is null)
        {
            for (long i = 0; i < count; i++)
            {
                task(taskContext, (nuint)i);
            }

            return;
        }

        job.Finish();
    }

    // The calling thread's parallel runs, one after another: each thread that runs a parallel plan gets one Job and
    // reuses it for every run, so a parallel Run allocates nothing once the thread has run one. The Job is also the
    // work item queued to the pool (the same object, once per helper) and the monitor the caller waits on; it is
    // private, so no outside lock can collide with it.
    //
    // A helper is not tied to the run it was queued for. The pool may start it long after that run has finished
    // (runs can be shorter than the pool takes to start a thread), and it then joins the run open at that moment, if
    // any; either way it then waits a little for the next run (Linger). So the caller queues only the helpers its run
    // wants beyond those alive (still waiting in the pool, in a run, or lingering), and late helpers do useful work
    // instead of piling up. What keeps this safe is that a helper claims a task only in
    // the run whose fields it read, with that run's count, and only within the run's thread cap:
    // - state packs the run number (high 32 bits) with the next task to claim (low 32 bits). The caller makes the run
    //   number odd while it rewrites the run's fields and even again to open the run, so a helper that reads the same
    //   even number before and after reading the fields has read one run's fields (a sequence lock).
    // - A claim is a compare-and-swap of the whole word from the value read before, so it succeeds only if the run is
    //   still the one the helper read; a claim for a finished run, or one made with a stale count, fails.
    // - A run's seats are its thread cap less one; a helper takes one before claiming, and leaves if none is left.
    // - The caller returns only when every task of its run has finished, so a task claimed in a run always ends
    //   before the next run rewrites the fields, and the finished-task count of one run never mixes with another's.
    private sealed class Job : IThreadPoolWorkItem
    {
        // How long a helper waits for the next run once a run has ended, and the caller for its helpers, before they
        // block: 500 us. See Linger.
        private static readonly long LingerTicks = Stopwatch.Frequency / 2_000;


        [ThreadStatic]
        private static Job? owned;

        private long state;

        // Written by the calling thread only while the run number is odd.
        private delegate* unmanaged[Cdecl]<void*, nuint, void> task;
        private void* taskContext;
        private int taskCount;
        private int finishedTasks;
        private int seats;

        // Helpers alive: queued and not started yet (whatever run they were queued for), taking part in a run, or
        // lingering for the next. Each counts from its queueing until it leaves, so that a caller opening its next run
        // while a helper finishes the last task of the previous one queues no second helper beside it.
        private int queued;

        // Read and written by the calling thread only.
        private uint run;
        private bool running;

        // Opens a run for the calling thread and queues its helpers, or returns null if the run must be serial.
        public static Job? Start(delegate* unmanaged[Cdecl]<void*, nuint, void> task, void* taskContext, int taskCount, int helpers)
        {
            Job job;
            try
            {
                job = owned ??= new Job();
            }
            catch (OutOfMemoryException)
            {
                // An exception must not unwind into native code; the calling thread does the work alone.
                return null;
            }

            // A task that ran a parallel loop of its own would find its thread's job busy. The library's tasks never
            // do, but a nested loop still gets a correct, serial run.
            if (job.running)
            {
                return null;
            }

            job.running = true;
            job.Open(task, taskContext, taskCount, helpers);
            job.Enlist(helpers);
            return job;
        }

        // The calling thread's part: take tasks, wait for the helpers' tasks to finish, and close the run for good.
        public void Finish()
        {
            RunTasks(run, task, taskContext, taskCount, pulse: false);
            WaitUntilFinished();
            running = false;
        }

        public void Execute()
        {
            Join(out uint seen);
            Linger(seen);
        }

        // Joins the run open now, if it has a task left and a seat free, and says whether it took part; seen is the run
        // number it read.
        private bool Join(out uint seen)
        {
            long observed = Volatile.Read(ref state);
            uint current = Run(observed);
            seen = current;
            if ((current & 1) != 0)
            {
                return false;
            }

            delegate* unmanaged[Cdecl]<void*, nuint, void> currentTask = task;
            void* currentContext = taskContext;
            int currentCount = taskCount;
            if (Next(observed) >= currentCount || Interlocked.Decrement(ref seats) < 0)
            {
                return false;
            }

            // The decrement above is a full fence, so this read comes after the fields were read. A seat taken from
            // a run opened in between is simply lost to it; that run gets one helper fewer, never more.
            if (Run(Volatile.Read(ref state)) != current)
            {
                return false;
            }

            RunTasks(current, currentTask, currentContext, currentCount, pulse: true);
            return true;
        }

        // A caller running layer after layer opens its next run within microseconds, and waking a pool thread for it
        // costs about as much as a small layer (some 15 us a run on a 2-vCPU guest), or far more when the scheduler
        // puts the woken thread behind the busy caller on the caller's CPU: then it waits for the load balancer,
        // which took 5-12 ms on the 2-vCPU guest. So a helper waits for the next run, spinning, and joins it: from
        // the end of the run it saw, not from the end of its own last task, since the caller may still be on a task
        // of its own, and a task of a millisecond-long layer outlasts the wait. .NET probe on that guest, 256->256
        // 14x14 on 2 threads, 16 windows of 10 ms after a 20 ms warm-up, two processes each: with 100 us counted from
        // the helper's last task 73-213 GFLOP/s (medians 100 and 155; in the slow windows the helper had blocked and,
        // woken, waited 10-13 ms behind the caller), counted from the run's end, 500 us, 137-225 (medians 215 and
        // 217). One thread runs it at about 105.
        // It leaves when the wait runs out or when it finds no seat or task in the next run, so helpers beyond the
        // run's cap never spin for long. On leaving it stops counting and then looks at the run once more: a caller
        // that opened a run in between either saw the count drop and queued a helper, or opened the run before this
        // last look (both sides fence between their write and their read).
        //
        // The waits spin through SpinWait, which yields the CPU after a few spins: a helper woken onto the caller's
        // CPU then lets the caller run instead of spinning away its time slice. Probe as above without the warm-up,
        // two processes each: with plain spins the slow windows ran at 49-93 GFLOP/s, under one thread's speed; with
        // SpinWait at 99-106, one thread's; the warm windows and a 3 us call (2.37 us on 2 threads, 2.74-2.82 serial)
        // did not change.
        private void Linger(uint seen)
        {
            var spinner = default(SpinWait);
            long deadline = Stopwatch.GetTimestamp() + LingerTicks;
            while (Stopwatch.GetTimestamp() <= deadline)
            {
                uint current = Run(Volatile.Read(ref state));
                if (current != seen && (current & 1) == 0)
                {
                    if (!Join(out seen))
                    {
                        break;
                    }

                    deadline = Stopwatch.GetTimestamp() + LingerTicks;
                    spinner.Reset();
                    continue;
                }

                // A count read across a run change only lengthens the wait by one look.
                if (current == seen && Volatile.Read(ref finishedTasks) != Volatile.Read(ref taskCount))
                {
                    deadline = Stopwatch.GetTimestamp() + LingerTicks;
                }

                spinner.SpinOnce(sleep1Threshold: -1);
            }

            Interlocked.Decrement(ref queued);
            if (Run(Volatile.Read(ref state)) != seen)
            {
                Join(out _);
            }
        }

        private static uint Run(long state) => (uint)((ulong)state >> 32);

        private static int Next(long state) => (int)state;

        private static long Pack(uint run, int next) => (long)(((ulong)run << 32) | (uint)next);

        // Run numbers advance by 2 and wrap after 2^31 runs; a helper would have to stall between two reads for that
        // many runs for a number to come back.
        private void Open(delegate* unmanaged[Cdecl]<void*, nuint, void> task, void* taskContext, int taskCount, int helpers)
        {
            // The exchange is a full fence: no field write below can be seen before the odd number.
            Interlocked.Exchange(ref state, Pack(run + 1, 0));
            this.task = task;
            this.taskContext = taskContext;
            this.taskCount = taskCount;
            finishedTasks = 0;
            seats = helpers;
            run += 2;
            // A full fence too: Enlist then reads how many helpers are queued, and a lingering helper that stops
            // counting itself reads the state after that (see Linger).
            Interlocked.Exchange(ref state, Pack(run, 0));
        }

        // Helpers still waiting in the pool will join this run when they start, and lingering ones as they see it, so
        // only the rest are queued.
        private void Enlist(int helpers)
        {
            for (int missing = helpers - Volatile.Read(ref queued); missing > 0; missing--)
            {
                Interlocked.Increment(ref queued);
                try
                {
                    ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                }
                catch (Exception)
                {
                    // An exception must not unwind into native code. Realistically only out-of-memory lands here; the
                    // calling thread then does the work that no helper was queued for.
                    Interlocked.Decrement(ref queued);
                    return;
                }
            }
        }

        // Only a helper needs to wake the caller: when the caller finishes the last task itself, it is not waiting.
        private void RunTasks(uint current, delegate* unmanaged[Cdecl]<void*, nuint, void> currentTask, void* currentContext,
            int currentCount, bool pulse)
        {
            while (true)
            {
                long observed = Volatile.Read(ref state);
                int index = Next(observed);
                if (Run(observed) != current || index >= currentCount)
                {
                    return;
                }

                if (Interlocked.CompareExchange(ref state, observed + 1, observed) != observed)
                {
                    continue;
                }

                currentTask(currentContext, (nuint)index);
                if (Interlocked.Increment(ref finishedTasks) == currentCount && pulse)
                {
                    lock (this)
                    {
                        Monitor.PulseAll(this);
                    }
                }
            }
        }

        // Returning to native code while a helper still runs a task would let the library free memory the task uses,
        // so the wait cannot be abandoned: an interrupt is remembered and re-raised once every task has finished.
        private void WaitUntilFinished()
        {
            long deadline = Stopwatch.GetTimestamp() + LingerTicks;
            var spinner = default(SpinWait);
            while (Volatile.Read(ref finishedTasks) != taskCount && Stopwatch.GetTimestamp() <= deadline)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }

            bool interrupted = false;
            while (Volatile.Read(ref finishedTasks) != taskCount)
            {
                try
                {
                    lock (this)
                    {
                        while (Volatile.Read(ref finishedTasks) != taskCount)
                        {
                            Monitor.Wait(this);
                        }
                    }
                }
                catch (ThreadInterruptedException)
                {
                    interrupted = true;
                }
            }

            if (interrupted)
            {
                Thread.CurrentThread.Interrupt();
            }
        }
    }
}
