/*
 * DynamoDB Local, bound to 127.0.0.1 and ended with its parent. Its own command line has no
 * address option (Jetty listens on every interface): this launcher builds the server exactly as
 * DynamoDB Local's main does, sets the Jetty connector's host to loopback before it starts, and
 * watches standard input, a pipe the Node process holds open: end of input means the parent is
 * gone (stopped, crashed or SIGKILLed), and the server exits with it.
 *
 * Run by local/dynamodb-local.ts with Java's source launcher (JDK 11+):
 *   java -cp DynamoDBLocal.jar:DynamoDBLocal_lib/* LoopbackDynamoDbLocal.java <DynamoDB Local's options>
 */
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

public class LoopbackDynamoDbLocal {
  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    int bound = 0;
    for (Connector connector : server.getConnectors()) {
      if (connector instanceof ServerConnector) {
        ((ServerConnector) connector).setHost("127.0.0.1");
        bound++;
      }
    }
    if (bound == 0) throw new IllegalStateException("no Jetty connector to bind to loopback: refusing to listen on every interface");
    proxy.start();

    Thread parentWatch = new Thread(() -> {
      try {
        while (System.in.read() != -1) {
          // The parent writes nothing; it only holds the pipe open.
        }
      } catch (Exception ignored) {
        // A broken pipe is the same news as end of input.
      }
      System.err.println("DynamoDB Local: the parent process is gone, stopping");
      Runtime.getRuntime().halt(0);
    }, "parent-watch");
    parentWatch.setDaemon(true);
    parentWatch.start();
    proxy.join();
  }
}
