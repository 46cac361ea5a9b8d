package app;

import com.assignr.resilience.AssignrResilience;
import com.assignr.resilience.okhttp.AssignrCallFactory;
import com.assignr.resilience.okhttp.AssignrInterceptor;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

public final class Main {
  public static void main(String[] args) throws Exception {
    AssignrResilience resilience = Settings.resilience();
    try (LoopbackServer server = new LoopbackServer()) {
      OkHttpClient client = new OkHttpClient.Builder()
          .addInterceptor(AssignrInterceptor.create(resilience))
          .build();
      try (Response response = client.newCall(new Request.Builder().url(server.url("/sites/1/games")).build()).execute()) {
        System.out.println("interceptor: " + response.code() + " after " + server.requests() + " requests");
      }
      Call.Factory factory = AssignrCallFactory.create(new OkHttpClient(), resilience);
      try (Response response = factory.newCall(new Request.Builder().url(server.url("/sites/1")).build()).execute()) {
        System.out.println("call factory: " + response.code());
      }
      System.out.println("okhttp " + okhttp3.OkHttp.VERSION + " from module " + OkHttpClient.class.getModule().getName());
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }
}
