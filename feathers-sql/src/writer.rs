//! SQLite's writes, committed in groups. SQLite takes one writer at a time and makes
//! each commit durable with a sync of its journal, so concurrent writes through a
//! pool queue on its lock (sleeping in its busy handler) and pay one sync each. The
//! writer instead holds one connection and takes the writes that are waiting as one
//! group: one transaction, each write in a savepoint of its own (so a write that
//! fails, such as a duplicate email, takes nothing else with it), one commit for all.
//! Every caller is answered after the commit that made its write durable. A write
//! that finds nobody waiting runs at once, alone.

use feathers_core::{Error, Result};
use serde_json::{Map, Value};
use sqlx::sqlite::SqliteConnection;
use sqlx::{Connection, Executor, SqlitePool};
use tokio::sync::{mpsc, oneshot};

use crate::column::Column;
use crate::errors::database_error;
use crate::exec::{sqlite_query, sqlite_record};
use crate::statement::Statement;

/// The most writes one commit takes.
const GROUP: usize = 256;

/// Writes waiting for the writer, at most; a caller beyond them waits to queue.
const QUEUE: usize = 4096;

type Record = Map<String, Value>;

/// One caller's write: its statements (all of them take effect, or none), the
/// columns their rows answer, and where the answer goes.
struct Job {
    table: String,
    statements: Vec<Statement>,
    columns: Vec<Column>,
    answer: oneshot::Sender<Result<Vec<Vec<Record>>>>,
}

/// The handle to a table's writer task; the task ends, and gives its connection
/// back, when the last handle is dropped.
#[derive(Clone, Debug)]
pub(crate) struct SqliteWriter {
    jobs: mpsc::Sender<Job>,
}

impl SqliteWriter {
    /// A writer on a connection of its own to `pool`'s database (outside the pool, so
    /// that tables with writers leave every pooled connection to the reads), or
    /// `None` for an in-memory database, which lives in the pool's one connection.
    pub(crate) async fn start(pool: &SqlitePool, table: &str) -> Result<Option<SqliteWriter>> {
        if pool.options().get_max_connections() < 2 {
            return Ok(None);
        }
        let options = pool.connect_options();
        let connection = SqliteConnection::connect_with(&options)
            .await
            .map_err(|err| database_error(table, err))?;
        let (jobs, queue) = mpsc::channel(QUEUE);
        tokio::spawn(run(connection, queue));
        Ok(Some(SqliteWriter { jobs }))
    }

    /// Runs `statements` in one transaction, in the next group, and answers the rows
    /// of each once they are committed.
    pub(crate) async fn write(
        &self,
        table: &str,
        statements: Vec<Statement>,
        columns: &[&Column],
    ) -> Result<Vec<Vec<Record>>> {
        let (answer, answered) = oneshot::channel();
        let job = Job {
            table: table.to_owned(),
            statements,
            columns: columns.iter().map(|column| (*column).clone()).collect(),
            answer,
        };
        let gone = || Error::unavailable("The database is unavailable; try again later");
        self.jobs.send(job).await.map_err(|_| gone())?;
        answered.await.map_err(|_| gone())?
    }
}

async fn run(mut connection: SqliteConnection, mut queue: mpsc::Receiver<Job>) {
    let mut group = Vec::with_capacity(GROUP);
    while queue.recv_many(&mut group, GROUP).await > 0 {
        let alone = group.len() == 1 && group[0].statements.len() == 1;
        if alone {
            if let Some(job) = group.pop() {
                let outcome = run_alone(&mut connection, &job).await;
                let _ = job.answer.send(outcome);
            }
        } else {
            let taken = std::mem::replace(&mut group, Vec::with_capacity(GROUP));
            commit_group(&mut connection, taken).await;
        }
    }
}

/// One statement with nobody waiting: it commits on its own.
async fn run_alone(connection: &mut SqliteConnection, job: &Job) -> Result<Vec<Vec<Record>>> {
    let mut answers = Vec::with_capacity(1);
    for statement in &job.statements {
        answers.push(run_statement(connection, job, statement).await?);
    }
    Ok(answers)
}

async fn run_statement(
    connection: &mut SqliteConnection,
    job: &Job,
    statement: &Statement,
) -> Result<Vec<Record>> {
    let failed = |err| database_error(&job.table, err);
    let columns: Vec<&Column> = job.columns.iter().collect();
    let rows = sqlite_query(statement)
        .fetch_all(&mut *connection)
        .await
        .map_err(failed)?;
    rows.iter()
        .map(|row| sqlite_record(row, &columns).map_err(failed))
        .collect()
}

/// The group in one transaction, each job in its own savepoint, one commit. A job
/// refused by a constraint (a 400 or 409) is undone alone; any other failure may have
/// ended the transaction, so the whole group is rolled back and every job answers it.
async fn commit_group(connection: &mut SqliteConnection, group: Vec<Job>) {
    let table = group
        .first()
        .map(|job| job.table.clone())
        .unwrap_or_default();
    if let Err(err) = connection.execute("BEGIN IMMEDIATE").await {
        answer_all(group, &database_error(&table, err));
        return;
    }
    let mut outcomes = Vec::with_capacity(group.len());
    for job in &group {
        match in_savepoint(connection, job).await {
            Ok(outcome) => outcomes.push(outcome),
            Err(broken) => {
                let _ = connection.execute("ROLLBACK").await;
                answer_all(group, &broken);
                return;
            }
        }
    }
    if let Err(err) = connection.execute("COMMIT").await {
        let _ = connection.execute("ROLLBACK").await;
        answer_all(group, &database_error(&table, err));
        return;
    }
    for (job, outcome) in group.into_iter().zip(outcomes) {
        let _ = job.answer.send(outcome);
    }
}

/// Nothing of the group is stored: every job answers `err`.
fn answer_all(group: Vec<Job>, err: &Error) {
    for job in group {
        let _ = job.answer.send(Err(err.clone()));
    }
}

/// One job's statements inside the group: all of them (`Ok(Ok(rows))`), or, refused
/// by a constraint, none (`Ok(Err(refusal))`). `Err` when the transaction itself may
/// be gone.
async fn in_savepoint(
    connection: &mut SqliteConnection,
    job: &Job,
) -> Result<Result<Vec<Vec<Record>>>> {
    let failed = |err| database_error(&job.table, err);
    connection.execute("SAVEPOINT job").await.map_err(failed)?;
    let mut answers = Vec::with_capacity(job.statements.len());
    for statement in &job.statements {
        match run_statement(connection, job, statement).await {
            Ok(rows) => answers.push(rows),
            Err(refused) if matches!(refused.code(), 400 | 409) => {
                connection
                    .execute("ROLLBACK TO job")
                    .await
                    .map_err(failed)?;
                connection.execute("RELEASE job").await.map_err(failed)?;
                return Ok(Err(refused));
            }
            Err(broken) => return Err(broken),
        }
    }
    connection.execute("RELEASE job").await.map_err(failed)?;
    Ok(Ok(answers))
}
