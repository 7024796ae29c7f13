package io.tributary.app.support;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Speaks just enough of the PostgreSQL wire protocol to ask a client for its password in clear text and refuse it,
 * echoing the password it received in the error message, the worst a server could do. The local PostgreSQL trusts
 * every connection from 127.0.0.1 (and its configuration is not ours to change), so this is how a test makes a
 * source send a password and fail on it.
 */
public final class PasswordAskingServer implements AutoCloseable {

    private final ServerSocket socket;
    private final List<String> passwordsReceived = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    public PasswordAskingServer() throws IOException {
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "password-asking-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** The passwords clients sent, to prove the route was exercised. */
    public List<String> passwordsReceived() {
        return List.copyOf(passwordsReceived);
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                serve(client);
            } catch (IOException e) {
                // a client went away, or the server was closed
            }
        }
    }

    private void serve(Socket client) throws IOException {
        DataInputStream in = new DataInputStream(client.getInputStream());
        DataOutputStream out = new DataOutputStream(client.getOutputStream());
        int length = in.readInt();
        int code = in.readInt();
        if (code == 80877103) {
            // SSLRequest: no TLS here; the client then sends its startup message
            out.writeByte('N');
            out.flush();
            length = in.readInt();
            in.readInt();
        }
        in.readFully(new byte[length - 8]);
        // AuthenticationCleartextPassword
        out.writeByte('R');
        out.writeInt(8);
        out.writeInt(3);
        out.flush();
        if (in.readByte() != 'p') {
            return;
        }
        byte[] body = new byte[in.readInt() - 4];
        in.readFully(body);
        String password = new String(body, 0, Math.max(0, body.length - 1), StandardCharsets.UTF_8);
        passwordsReceived.add(password);
        byte[] fields = ("SFATAL\0VFATAL\0C28P01\0Mpassword authentication failed for user \"reader\" (password was '"
                + password + "')\0\0").getBytes(StandardCharsets.UTF_8);
        out.writeByte('E');
        out.writeInt(fields.length + 4);
        out.write(fields);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
