package triage

// Engine is the software a candidate measures, declared in the catalog so
// that rules and prompts never guess it from an exporter's name.
type Engine string

const (
	EnginePostgreSQL Engine = "postgresql"
	EngineMySQL      Engine = "mysql"
	EnginePgBouncer  Engine = "pgbouncer"
	EngineRedis      Engine = "redis"
	EngineMemcached  Engine = "memcached"
	EngineKafka      Engine = "kafka"
	EngineRabbitMQ   Engine = "rabbitmq"
	EngineHikariCP   Engine = "hikaricp"
	EngineGoSQL      Engine = "database/sql"
	EnginePgxPool    Engine = "pgxpool"
)

// engineNames are the names people write.
var engineNames = map[Engine]string{
	EnginePostgreSQL: "PostgreSQL", EngineMySQL: "MySQL", EnginePgBouncer: "PgBouncer",
	EngineRedis: "Redis", EngineMemcached: "Memcached", EngineKafka: "Kafka", EngineRabbitMQ: "RabbitMQ",
	EngineHikariCP: "HikariCP", EngineGoSQL: "Go database/sql", EnginePgxPool: "pgxpool",
}

// Name is the engine as people write it ("PostgreSQL"); an engine from a
// config file that is not known here prints as declared.
func (e Engine) Name() string {
	if n, ok := engineNames[e]; ok {
		return n
	}
	return string(e)
}
