//! Figure meshes kept on the GPU: uploaded once per figure revision, then each frame draws them
//! with one transform uniform. Pan and zoom at France scale (millions of triangles) then cost the
//! CPU nothing; egui's own path would copy and transform every vertex each frame.
//!
//! Only with the glow renderer (the window); tests and other renderers paint the same meshes
//! through egui (see [`super::paint`]).

// OpenGL calls through glow are `unsafe` by signature: every block here only passes handles this
// module created on the window's one GL context, and runs inside egui_glow's paint callbacks, when
// that context is current.
#![allow(unsafe_code, reason = "glow's OpenGL calls; see the comment above")]

use std::sync::{Arc, Mutex, OnceLock};

use eframe::egui::{self, Rect, emath::TSTransform, epaint::Mesh};
use eframe::egui_glow;
use eframe::glow::{self, HasContext as _};

/// GPU objects of one mesh.
struct Buffers {
    vao: glow::VertexArray,
    vertices: glow::Buffer,
    indices: glow::Buffer,
    count: i32,
}

/// Objects whose mesh was dropped, deleted at the next draw (when the GL context is current).
static GARBAGE: Mutex<Vec<Buffers>> = Mutex::new(Vec::new());

/// The shader, compiled once per process (the window has one GL context).
static PROGRAM: OnceLock<Result<Program, String>> = OnceLock::new();

#[derive(Clone, Copy)]
struct Program {
    id: glow::Program,
    transform: Option<glow::UniformLocation>,
    alpha: Option<glow::UniformLocation>,
}

enum State {
    /// Not uploaded yet: interleaved vertex bytes and indices.
    Pending(Vec<u8>, Vec<u32>),
    Uploaded(Buffers),
    Failed,
}

/// A mesh in page millimetres, uploaded on first draw.
pub struct GpuMesh {
    state: Mutex<State>,
    /// Every vertex is opaque: drawn without blending, which a software rasteriser does faster.
    opaque: bool,
}

const STRIDE: i32 = 12;

impl GpuMesh {
    /// Keeps a copy of the mesh for upload.
    #[must_use]
    pub fn new(mesh: &Mesh) -> Arc<GpuMesh> {
        let mut bytes = Vec::with_capacity(mesh.vertices.len() * STRIDE as usize);
        for v in &mesh.vertices {
            bytes.extend_from_slice(&v.pos.x.to_ne_bytes());
            bytes.extend_from_slice(&v.pos.y.to_ne_bytes());
            bytes.extend_from_slice(&v.color.to_array());
        }
        let opaque = mesh.vertices.iter().all(|v| v.color.a() == 255);
        Arc::new(GpuMesh { state: Mutex::new(State::Pending(bytes, mesh.indices.clone())), opaque })
    }
}

impl Drop for GpuMesh {
    fn drop(&mut self) {
        if let Ok(state) = self.state.get_mut()
            && let State::Uploaded(_) = state
            && let State::Uploaded(buffers) = std::mem::replace(state, State::Failed)
            && let Ok(mut garbage) = GARBAGE.lock()
        {
            garbage.push(buffers);
        }
    }
}

fn compile(gl: &glow::Context) -> Result<Program, String> {
    let version = egui_glow::ShaderVersion::get(gl);
    let new = version.is_new_shader_interface();
    let (input, output) = if new { ("in", "out") } else { ("attribute", "varying") };
    let vertex = format!(
        "{}{input} vec2 a_pos;\n{input} vec4 a_color;\nuniform vec4 u_transform;\n{output} vec4 v_color;\n\
         void main() {{\n  gl_Position = vec4(a_pos * u_transform.xy + u_transform.zw, 0.0, 1.0);\n  v_color = a_color;\n}}\n",
        version.version_declaration()
    );
    let fragment = if new {
        format!(
            "{}precision mediump float;\nuniform float u_alpha;\nin vec4 v_color;\nout vec4 f_color;\n\
             void main() {{ f_color = v_color * u_alpha; }}\n",
            version.version_declaration()
        )
    } else {
        format!(
            "{}precision mediump float;\nuniform float u_alpha;\nvarying vec4 v_color;\n\
             void main() {{ gl_FragColor = v_color * u_alpha; }}\n",
            version.version_declaration()
        )
    };
    unsafe {
        let program = gl.create_program()?;
        let mut shaders = Vec::new();
        for (kind, source) in [(glow::VERTEX_SHADER, vertex), (glow::FRAGMENT_SHADER, fragment)] {
            let shader = gl.create_shader(kind)?;
            gl.shader_source(shader, &source);
            gl.compile_shader(shader);
            if !gl.get_shader_compile_status(shader) {
                return Err(gl.get_shader_info_log(shader));
            }
            gl.attach_shader(program, shader);
            shaders.push(shader);
        }
        gl.bind_attrib_location(program, 0, "a_pos");
        gl.bind_attrib_location(program, 1, "a_color");
        gl.link_program(program);
        if !gl.get_program_link_status(program) {
            return Err(gl.get_program_info_log(program));
        }
        for shader in shaders {
            gl.detach_shader(program, shader);
            gl.delete_shader(shader);
        }
        let transform = gl.get_uniform_location(program, "u_transform");
        let alpha = gl.get_uniform_location(program, "u_alpha");
        Ok(Program { id: program, transform, alpha })
    }
}

fn upload(gl: &glow::Context, bytes: &[u8], indices: &[u32]) -> Result<Buffers, String> {
    unsafe {
        let vao = gl.create_vertex_array()?;
        gl.bind_vertex_array(Some(vao));
        let vertices = gl.create_buffer()?;
        gl.bind_buffer(glow::ARRAY_BUFFER, Some(vertices));
        gl.buffer_data_u8_slice(glow::ARRAY_BUFFER, bytes, glow::STATIC_DRAW);
        gl.enable_vertex_attrib_array(0);
        gl.vertex_attrib_pointer_f32(0, 2, glow::FLOAT, false, STRIDE, 0);
        gl.enable_vertex_attrib_array(1);
        gl.vertex_attrib_pointer_f32(1, 4, glow::UNSIGNED_BYTE, true, STRIDE, 8);
        let index_buffer = gl.create_buffer()?;
        gl.bind_buffer(glow::ELEMENT_ARRAY_BUFFER, Some(index_buffer));
        let index_bytes: Vec<u8> = indices.iter().flat_map(|i| i.to_ne_bytes()).collect();
        gl.buffer_data_u8_slice(glow::ELEMENT_ARRAY_BUFFER, &index_bytes, glow::STATIC_DRAW);
        gl.bind_vertex_array(None);
        let count = i32::try_from(indices.len()).map_err(|_| "maillage trop grand pour OpenGL".to_owned())?;
        Ok(Buffers { vao, vertices, indices: index_buffer, count })
    }
}

fn collect_garbage(gl: &glow::Context) {
    let Ok(mut garbage) = GARBAGE.lock() else { return };
    for buffers in garbage.drain(..) {
        unsafe {
            gl.delete_vertex_array(buffers.vao);
            gl.delete_buffer(buffers.vertices);
            gl.delete_buffer(buffers.indices);
        }
    }
}

fn draw(gl: &glow::Context, mesh: &GpuMesh, uniform: [f32; 4], alpha: f32) {
    collect_garbage(gl);
    let program = match PROGRAM.get_or_init(|| compile(gl)) {
        Ok(p) => *p,
        Err(_) => return,
    };
    let Ok(mut state) = mesh.state.lock() else { return };
    if let State::Pending(bytes, indices) = &*state {
        *state = upload(gl, bytes, indices).map_or(State::Failed, State::Uploaded);
    }
    let State::Uploaded(buffers) = &*state else { return };
    unsafe {
        gl.use_program(Some(program.id));
        gl.uniform_4_f32(program.transform.as_ref(), uniform[0], uniform[1], uniform[2], uniform[3]);
        // Colours are premultiplied (egui's blending): scaling all four channels fades the mesh.
        gl.uniform_1_f32(program.alpha.as_ref(), alpha);
        gl.bind_vertex_array(Some(buffers.vao));
        if mesh.opaque && alpha >= 1.0 {
            gl.disable(glow::BLEND);
        }
        gl.draw_elements(glow::TRIANGLES, buffers.count, glow::UNSIGNED_INT, 0);
        // egui_glow restores its own state after a callback; blending back on in any case.
        gl.enable(glow::BLEND);
        gl.bind_vertex_array(None);
        gl.use_program(None);
    }
}

/// Whether the GPU shader failed to build (then the caller paints through egui).
#[must_use]
pub fn unavailable() -> bool {
    matches!(PROGRAM.get(), Some(Err(_)))
}

/// Adds a paint callback drawing `mesh` (page mm) with `to_screen` inside `rect`, at `alpha`.
pub fn paint(painter: &egui::Painter, rect: Rect, mesh: &Arc<GpuMesh>, to_screen: TSTransform, alpha: f32) {
    // Page mm → screen points → the callback's viewport (rect) in normalised device coordinates.
    let (w, h) = (rect.width().max(1.0), rect.height().max(1.0));
    let s = to_screen.scaling;
    let uniform = [
        2.0 * s / w,
        -2.0 * s / h,
        2.0 * (to_screen.translation.x - rect.left()) / w - 1.0,
        1.0 - 2.0 * (to_screen.translation.y - rect.top()) / h,
    ];
    let mesh = Arc::clone(mesh);
    let callback =
        egui_glow::CallbackFn::new(move |_info, painter| draw(painter.gl(), &mesh, uniform, alpha.clamp(0.0, 1.0)));
    painter.add(egui::PaintCallback { rect, callback: Arc::new(callback) });
}
