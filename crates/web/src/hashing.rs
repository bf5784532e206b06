//! Password checks run on their own small pool of threads with a bounded queue, apart from
//! the blocking threads that serve every page's database calls: a flood of logins then
//! waits (or is refused with 429) in its own line, and a logged-in teacher's class page
//! stays fast. Each check holds argon2's 19 MiB only while it runs, so memory is bounded
//! by the number of threads, and the queue holds only passwords and hashes.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};

type Job = Box<dyn FnOnce() + Send>;

/// The pool's queue is full: answer 429 and let the client try again shortly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolBusy;

#[derive(Debug)]
pub struct HashPool {
    sender: Mutex<Option<SyncSender<Job>>>,
    threads: usize,
    queue: usize,
    /// Checks queued or running now.
    pending: Arc<AtomicUsize>,
}

impl HashPool {
    /// `threads` workers (at least one) and at most `queue` checks waiting.
    pub fn new(threads: usize, queue: usize) -> HashPool {
        let threads = threads.max(1);
        let (sender, receiver) = sync_channel::<Job>(queue);
        let receiver = Arc::new(Mutex::new(receiver));
        for index in 0..threads {
            let receiver = Arc::clone(&receiver);
            let spawned = std::thread::Builder::new()
                .name(format!("erbij-hash-{index}"))
                .spawn(move || work(&receiver));
            if spawned.is_err() {
                tracing::error!("cannot start a password-hashing thread");
            }
        }
        HashPool {
            sender: Mutex::new(Some(sender)),
            threads,
            queue,
            pending: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// Whether every thread is busy and the queue is full, so a new check would be refused:
    /// asked before a login touches the database, so a flood refused here costs no query.
    pub fn is_full(&self) -> bool {
        self.pending.load(Ordering::Relaxed) >= self.threads + self.queue
    }

    /// Half the cores (at least one): the other half keeps serving pages during a flood.
    pub fn default_threads() -> usize {
        std::thread::available_parallelism()
            .map(|n| (n.get() / 2).max(1))
            .unwrap_or(1)
    }

    pub fn threads(&self) -> usize {
        self.threads
    }

    pub fn queue(&self) -> usize {
        self.queue
    }

    /// Queues `f`, or says at once that the queue is full.
    pub fn submit<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<tokio::sync::oneshot::Receiver<T>, PoolBusy> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let pending = Arc::clone(&self.pending);
        let job: Job = Box::new(move || {
            let result = f();
            // Counted down before the answer goes, so a caller that has its answer sees the
            // room it left.
            pending.fetch_sub(1, Ordering::Relaxed);
            let _ = tx.send(result);
        });
        let sender = self
            .sender
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let Some(sender) = sender.as_ref() else {
            return Err(PoolBusy);
        };
        self.pending.fetch_add(1, Ordering::Relaxed);
        match sender.try_send(job) {
            Ok(()) => Ok(rx),
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => {
                self.pending.fetch_sub(1, Ordering::Relaxed);
                Err(PoolBusy)
            }
        }
    }

    /// Runs `f` on the pool and waits for its answer, or says at once that the queue is
    /// full.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, PoolBusy> {
        self.submit(f)?.await.map_err(|_| PoolBusy)
    }

    /// Checks a password against a stored hash on the pool.
    pub async fn verify(&self, password: String, hash: String) -> Result<bool, PoolBusy> {
        self.run(move || erbij_core::verify_password(&password, &hash))
            .await
    }
}

impl Drop for HashPool {
    fn drop(&mut self) {
        // Closing the queue ends the workers once they finish what they hold.
        if let Ok(mut sender) = self.sender.lock() {
            sender.take();
        }
    }
}

fn work(receiver: &Mutex<Receiver<Job>>) {
    loop {
        let job = {
            let queue = receiver
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            queue.recv()
        };
        match job {
            Ok(job) => job(),
            Err(_) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_queue_is_refused_at_once_and_the_pool_still_works() {
        let pool = HashPool::new(1, 1);
        let (release, wait) = std::sync::mpsc::channel::<()>();
        let (started_tx, started_rx) = std::sync::mpsc::channel::<()>();
        // One job runs (held), one waits in the queue: the third is refused.
        let first = pool
            .submit(move || {
                let _ = started_tx.send(());
                let _ = wait.recv();
                1
            })
            .map_err(|_| "first refused");
        let _ = started_rx.recv();
        assert!(!pool.is_full());
        let second = pool.submit(|| 2).map_err(|_| "second refused");
        assert!(pool.is_full());
        assert_eq!(pool.submit(|| 3).err(), Some(PoolBusy));
        let _ = release.send(());
        assert_eq!(first.expect("queued").await.ok(), Some(1));
        assert_eq!(second.expect("queued").await.ok(), Some(2));
        assert_eq!(pool.run(|| 4).await, Ok(4));
        assert!(!pool.is_full());
    }
}
