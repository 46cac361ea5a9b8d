package com.assignr.resilience.stacks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.assignr.resilience.okhttp.AssignrCallFactory;
import com.assignr.resilience.okhttp.AssignrInterceptor;
import java.io.IOException;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import okhttp3.RequestBody;
import okhttp3.ResponseBody;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import retrofit2.Call;
import retrofit2.Response;
import retrofit2.Retrofit;
import retrofit2.http.Body;
import retrofit2.http.GET;
import retrofit2.http.Header;
import retrofit2.http.POST;
import retrofit2.http.PUT;
import retrofit2.http.Url;

/**
 * Writes through Retrofit: 2.12 (without its OkHttp 3.14) on OkHttp 5 in one run, 3.x on OkHttp
 * 4.12 in the other. Both share the {@code retrofit2} package, hence the two surefire runs.
 */
@Timeout(60)
class RetrofitStackTest {
  static final String RETROFIT = "Retrofit " + retrofitVersion();
  static final Rig RIG = new Rig("retrofit-" + retrofitVersion());

  /**
   * The token goes on each request ({@code @Header}), where the factory sees it: the gate is keyed
   * by it, and an interceptor inside the factory's client would add it only below the factory.
   */
  interface Api {
    @GET
    Call<ResponseBody> get(@Header("Authorization") String token, @Url String url);

    @POST
    Call<ResponseBody> post(@Header("Authorization") String token, @Url String url, @Body RequestBody body);

    @PUT
    Call<ResponseBody> put(@Header("Authorization") String token, @Url String url, @Body RequestBody body);
  }

  /** Retrofit's jar names its version; the class files do not. */
  static String retrofitVersion() {
    String jar = Retrofit.class.getProtectionDomain().getCodeSource().getLocation().getPath();
    return jar.substring(jar.lastIndexOf("retrofit-") + "retrofit-".length(), jar.length() - ".jar".length());
  }

  @AfterAll
  static void writeMatrix() {
    RIG.close();
  }

  @Test
  void theIntendedRetrofitAndOkHttpAreOnTheClasspath() {
    String expected = System.getProperty("retrofit.expected.version");
    assertTrue(retrofitVersion().equals(expected), retrofitVersion() + " but expected " + expected);
    assertTrue(Rig.okHttpVersion().equals(System.getProperty("okhttp.expected.version")), Rig.okHttpVersion());
  }

  @TestFactory
  Stream<DynamicTest> overTheCallFactory() {
    return RIG.matrix(RETROFIT + " on OkHttp " + Rig.okHttpVersion() + ", callFactory(AssignrCallFactory)", false, r -> {
      OkHttpClient client = RIG.okHttp().build();
      Retrofit retrofit = new Retrofit.Builder().baseUrl(RIG.base() + "/")
          .callFactory(AssignrCallFactory.create(client, r)).build();
      return new RetrofitClient(retrofit.create(Api.class), client);
    });
  }

  @TestFactory
  Stream<DynamicTest> overAConfiguredClient() {
    return RIG.matrix(RETROFIT + " on OkHttp " + Rig.okHttpVersion() + ", client(AssignrInterceptor.configure)", false, r -> {
      OkHttpClient client = AssignrInterceptor.configure(RIG.okHttp(), r).build();
      Retrofit retrofit = new Retrofit.Builder().baseUrl(RIG.base() + "/").client(client).build();
      return new RetrofitClient(retrofit.create(Api.class), client);
    });
  }

  @TestFactory
  Stream<DynamicTest> overAnInterceptorClient() {
    return RIG.matrix(RETROFIT + " on OkHttp " + Rig.okHttpVersion() + ", client(interceptor via addInterceptor)", false, r -> {
      OkHttpClient client = RIG.okHttp().addInterceptor(AssignrInterceptor.create(r)).build();
      Retrofit retrofit = new Retrofit.Builder().baseUrl(RIG.base() + "/").client(client).build();
      return new RetrofitClient(retrofit.create(Api.class), client);
    });
  }

  static final class RetrofitClient implements StackClient {
    private final Api api;
    private final OkHttpClient client;

    RetrofitClient(Api api, OkHttpClient client) {
      this.api = api;
      this.client = client;
    }

    @Override
    public int get(String path) throws IOException {
      return status(api.get(OkHttpStack.TOKEN, path.substring(1)));
    }

    @Override
    public int write(String method, String path, String json) throws IOException {
      RequestBody body = RequestBody.create(json, OkHttpStack.JSON);
      String url = path.substring(1);
      return status(method.equals("PUT") ? api.put(OkHttpStack.TOKEN, url, body) : api.post(OkHttpStack.TOKEN, url, body));
    }

    private static int status(Call<ResponseBody> call) throws IOException {
      Response<ResponseBody> response = call.execute();
      try (ResponseBody ok = response.body(); ResponseBody error = response.errorBody()) {
        return response.code();
      }
    }

    @Override
    public void close() {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }
}
