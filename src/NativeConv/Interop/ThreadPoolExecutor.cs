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
        Job? job = null;
        if (helpers > 0)
        {
            try
            {
                job = Job.Rent(task, taskContext, count, helpers);
                for (int i = 0; i < helpers; i++)
                {
                    ThreadPool.UnsafeQueueUserWorkItem(job, preferLocal: false);
                }
            }
            catch (Exception)
            {
                // An exception must not unwind into native code. Realistically only out-of-memory lands here; the
                // calling thread then does the work that no helper was queued for.
            }
        }

        if (job is null)
        {
            for (long i = 0; i < count; i++)
            {
                task(taskContext, (nuint)i);
            }

            return;
        }

        job.RunTasks();
        job.WaitUntilFinished();
    }

    // The state of one parallel run, shared by the calling thread and its helpers. It is private, so it doubles as
    // the monitor the caller waits on without any outside lock colliding with it. Each calling thread keeps a few and
    // reuses them, so a parallel Run allocates nothing once warm; reuse waits until every helper queued for the last
    // run has left it, because a late helper still increments its task counter (and would otherwise claim a task
    // of the next run with the previous run's count in hand).
    private sealed class Job : IThreadPoolWorkItem
    {
        // Two per thread: a helper of the last run that the pool starts late keeps one busy for a moment, and the
        // next run takes the other instead of allocating.
        [ThreadStatic]
        private static Job? cachedA;

        [ThreadStatic]
        private static Job? cachedB;

        private delegate* unmanaged[Cdecl]<void*, nuint, void> task;
        private void* taskContext;
        private long taskCount;
        private long nextTask;
        private long finishedTasks;
        private int helpersInside;

        public static Job Rent(delegate* unmanaged[Cdecl]<void*, nuint, void> task, void* taskContext, long taskCount, int helpers)
        {
            Job job;
            if (cachedA is { } a && Volatile.Read(ref a.helpersInside) == 0)
            {
                job = a;
            }
            else if (cachedB is { } b && Volatile.Read(ref b.helpersInside) == 0)
            {
                job = b;
            }
            else
            {
                job = new Job();
                (cachedA, cachedB) = (job, cachedA);
            }

            job.task = task;
            job.taskContext = taskContext;
            job.taskCount = taskCount;
            job.finishedTasks = 0;
            job.helpersInside = helpers;
            // Publishes the fields above before any helper can claim a task.
            Volatile.Write(ref job.nextTask, -1);
            return job;
        }

        public void Execute()
        {
            RunTasks();
            Interlocked.Decrement(ref helpersInside);
        }

        public void RunTasks()
        {
            long index;
            while ((index = Interlocked.Increment(ref nextTask)) < taskCount)
            {
                task(taskContext, (nuint)index);
                if (Interlocked.Increment(ref finishedTasks) == taskCount)
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
        public void WaitUntilFinished()
        {
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
