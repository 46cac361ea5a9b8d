package app;

import com.assignr.resilience.httpclient5.AssignrHttpClient5;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.VersionInfo;

public final class Main {
  public static void main(String[] args) throws Exception {
    try (LoopbackServer server = new LoopbackServer();
        CloseableHttpClient client = AssignrHttpClient5.configure(HttpClients.custom(), Settings.resilience()).build()) {
      String body = client.execute(new HttpGet(server.url("/sites/1/games")), response -> {
        System.out.println("execute: " + response.getCode() + " after " + server.requests() + " requests");
        return EntityUtils.toString(response.getEntity());
      });
      System.out.println("body: " + body);
      System.out.println("configured: " + AssignrHttpClient5.isConfigured(client));
      VersionInfo version = VersionInfo.loadVersionInfo("org.apache.hc.client5", HttpClients.class.getClassLoader());
      System.out.println("httpclient5 " + version.getRelease() + " from module " + HttpClients.class.getModule().getName());
    }
  }
}
